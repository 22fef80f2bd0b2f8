/* runtime.c - the driver chosen by option `runtime`, behind one interface; see runtime.h. */
#include "runtime/runtime.h"

#include "core/mem.h"
#include "core/urlenc.h"

#include <stdlib.h>
#include <string.h>

struct lg_runtime {
    int kind;
    const lg_runtime_driver_t *driver; /* NULL for runtime none */
    void *d;
};

void
lg_runtime_opts_from_config(lg_runtime_opts_t *out, const lg_config_t *cfg)
{
    *out = (lg_runtime_opts_t){
        .kind = cfg->runtime,
        .projects_dir = cfg->projects_dir,
        .state_dir = cfg->runtime_dir,
        .jupyter = cfg->jupyter_program,
        .start_timeout_ms = cfg->runtime_start_timeout_ms,
        .idle_timeout_ms = cfg->runtime_idle_timeout_ms,
        .hub_url = cfg->jupyterhub_url,
        .hub_public_url = cfg->jupyterhub_public_url[0] ? cfg->jupyterhub_public_url : cfg->jupyterhub_url,
        .hub_token = cfg->jupyterhub_token,
        .hub_signin = cfg->auth == LG_AUTH_JUPYTERHUB,
    };
}

lg_runtime_t *
lg_runtime_new(const lg_runtime_opts_t *opts, lg_err_t *err)
{
    lg_runtime_t *rt = lg_xcalloc(1, sizeof(*rt));
    rt->kind = opts->kind;
    if (opts->kind == LG_RUNTIME_LOCAL) {
        rt->driver = &lg_runtime_local;
        rt->d = lg_runtime_local_new(opts, err);
    } else if (opts->kind == LG_RUNTIME_JUPYTERHUB) {
        rt->driver = &lg_runtime_hub;
        rt->d = lg_runtime_hub_new(opts, err);
    }
    if (rt->driver != NULL && rt->d == NULL) {
        free(rt);
        return NULL;
    }
    return rt;
}

int
lg_runtime_kind(const lg_runtime_t *rt)
{
    return rt->kind;
}

void
lg_runtime_free(lg_runtime_t *rt)
{
    if (rt == NULL)
        return;
    if (rt->driver != NULL)
        rt->driver->free(rt->d);
    free(rt);
}

int
lg_runtime_open(lg_runtime_t *rt, const char *user, const char *path, lg_open_kind_t kind, char **url,
                lg_err_t *err)
{
    *url = NULL;
    return rt->driver ? rt->driver->open(rt->d, user, path, kind, url, err) : 0;
}

void
lg_runtime_path(lg_buf_t *out, const char *path, lg_open_kind_t kind)
{
    lg_buf_puts(out, kind == LG_OPEN_NOTEBOOK ? "notebooks/" : kind == LG_OPEN_FOLDER ? "tree/" : "edit/");
    lg_url_encode_path(out, path, strlen(path));
}

int
lg_runtime_status(lg_runtime_t *rt, const char *user, lg_server_state_t *state, lg_err_t *err)
{
    *state = LG_SERVER_STOPPED;
    return rt->driver ? rt->driver->status(rt->d, user, state, err) : 0;
}

int
lg_runtime_stop(lg_runtime_t *rt, const char *user, lg_err_t *err)
{
    return rt->driver ? rt->driver->stop(rt->d, user, err) : 0;
}

void
lg_runtime_tick(lg_runtime_t *rt)
{
    if (rt->driver)
        rt->driver->tick(rt->d);
}
