/* test_runtime.c - tests runtime/runtime.c without a server: the driver chosen by the configuration,
 * runtime none opening nothing, the addresses paths open at, and the checks a driver makes at start. */
#include "runtime/runtime.h"

#include "tests/unit/check.h"

#include <stdlib.h>

static void
test_paths(void)
{
    static const struct {
        const char *path;
        lg_open_kind_t kind;
        const char *want;
    } cases[] = {
        {"demo/nb.ipynb", LG_OPEN_NOTEBOOK, "notebooks/demo/nb.ipynb"},
        {"demo", LG_OPEN_FOLDER, "tree/demo"},
        {"demo/data.csv", LG_OPEN_FILE, "edit/demo/data.csv"},
        {"d\xc3\xa9j\xc3\xa0 vu/a b#c?.ipynb", LG_OPEN_NOTEBOOK,
         "notebooks/d%C3%A9j%C3%A0%20vu/a%20b%23c%3F.ipynb"},
        {"x/%2e%2e/y.ipynb", LG_OPEN_NOTEBOOK, "notebooks/x/%252e%252e/y.ipynb"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t out = LG_BUF_INIT;
        lg_runtime_path(&out, cases[i].path, cases[i].kind);
        CHECK_STR(lg_buf_str(&out), cases[i].want);
        lg_buf_free(&out);
    }
}

static void
test_none_opens_nothing(void)
{
    lg_runtime_opts_t o = {.kind = LG_RUNTIME_NONE};
    lg_err_t err;
    lg_runtime_t *rt = lg_runtime_new(&o, &err);
    CHECK(rt != NULL);
    char *url = (char *)"untouched";
    CHECK_INT(lg_runtime_open(rt, "alice", "demo/nb.ipynb", LG_OPEN_NOTEBOOK, &url, &err), 0);
    CHECK(url == NULL);
    lg_server_state_t state;
    CHECK_INT(lg_runtime_status(rt, "alice", &state, &err), 0);
    CHECK_INT(state, LG_SERVER_STOPPED);
    CHECK_INT(lg_runtime_kind(rt), LG_RUNTIME_NONE);
    lg_runtime_free(rt);
}

static void
test_drivers_check_their_setup(void)
{
    lg_err_t err;
    lg_runtime_opts_t local = {.kind = LG_RUNTIME_LOCAL,
                               .jupyter = "/nonexistent/jupyter-notebook",
                               .state_dir = "/tmp",
                               .projects_dir = "/tmp"};
    CHECK(lg_runtime_new(&local, &err) == NULL);
    CHECK(strstr(err.msg, "jupyter-notebook") != NULL && strstr(err.msg, "runtime = none") != NULL);
    lg_runtime_opts_t hub = {.kind = LG_RUNTIME_JUPYTERHUB, .hub_url = "", .hub_token = ""};
    CHECK(lg_runtime_new(&hub, &err) == NULL);
    CHECK(strstr(err.msg, "jupyterhub_url") != NULL && strstr(err.msg, "jupyterhub_token") != NULL);
    hub.hub_url = "http://127.0.0.1:1";
    hub.hub_token = "t";
    hub.projects_dir = "/tmp";
    lg_runtime_t *rt = lg_runtime_new(&hub, &err);
    CHECK(rt != NULL);
    char *url = NULL; /* nothing listens on port 1: a clear error, not a hang */
    CHECK_INT(lg_runtime_open(rt, "alice", "nb.ipynb", LG_OPEN_NOTEBOOK, &url, &err), -1);
    CHECK_MSG(strstr(err.msg, "JupyterHub did not answer") != NULL, "%s", err.msg);
    CHECK(url == NULL);
    lg_runtime_free(rt);
}

static void
test_options(void)
{
    lg_config_t cfg;
    lg_err_t err;
    int npos = 0;
    char *argv[] = {"--runtime", "jupyterhub", "--jupyterhub-url", "http://hub.example:8000", NULL};
    CHECK_INT(lg_config_load(&cfg, LG_CMD_WORKER, 4, argv, NULL, &npos, &err), 0);
    lg_runtime_opts_t o;
    lg_runtime_opts_from_config(&o, &cfg);
    CHECK_INT(o.kind, LG_RUNTIME_JUPYTERHUB);
    CHECK_STR(o.hub_public_url, "http://hub.example:8000"); /* browsers go where the API is, unless told */
    CHECK_INT(o.start_timeout_ms, 60000);
    CHECK_INT(o.idle_timeout_ms, 3600000);
    CHECK_STR(o.jupyter, "/usr/bin/jupyter-notebook");
    lg_config_free(&cfg);
}

int
main(void)
{
    unsetenv("LABGATE_RUNTIME");
    unsetenv("LABGATE_JUPYTERHUB_PUBLIC_URL");
    RUN(test_paths);
    RUN(test_none_opens_nothing);
    RUN(test_drivers_check_their_setup);
    RUN(test_options);
    return check_report();
}
