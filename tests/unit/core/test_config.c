/* test_config.c - tests core/config.c and core/option_value.c: typed values, bounds, sources. */
#include "core/config.h"

#include "tests/unit/check.h"

#include <stdlib.h>

static lg_config_t cfg;

static void
load_defaults(void)
{
    int npos = 0;
    char *argv[] = {NULL};
    lg_config_free(&cfg);
    CHECK_INT(lg_config_load(&cfg, LG_CMD_ALL, 0, argv, NULL, &npos, NULL), 0);
}

static void
test_defaults(void)
{
    load_defaults();
    CHECK_INT(cfg.nlisten, 1);
    CHECK_STR(cfg.listen[0].host, "127.0.0.1");
    CHECK_INT(cfg.listen[0].port, 8080);
    CHECK_INT(cfg.max_body_bytes, 1024 * 1024);
    CHECK_INT(cfg.request_timeout_ms, 10000);
    CHECK_STR(cfg.github_url, "https://github.com");
    CHECK_STR(cfg.public_url, "");
}

static const struct {
    const char *name, *value;
    int ok;
    long long want; /* for integer-like options */
} values[] = {
    {"threads", "0", 1, 0},
    {"threads", "256", 1, 256},
    {"threads", "257", 0, 0},
    {"threads", "+1", 0, 0},
    {"threads", " 1", 0, 0},
    {"threads", "1 ", 0, 0},
    {"threads", "0x10", 0, 0},
    {"max_body_bytes", "1k", 1, 1024},
    {"max_body_bytes", "2MiB", 1, 2 << 20},
    {"max_body_bytes", "1G", 1, 1 << 30},
    {"max_body_bytes", "1023", 0, 0},
    {"max_body_bytes", "99999999999999999999", 0, 0},
    {"max_body_bytes", "9999999999999999g", 0, 0},
    {"max_body_bytes", "1.5m", 0, 0},
    {"request_timeout", "100ms", 1, 100},
    {"request_timeout", "99ms", 0, 0},
    {"request_timeout", "2", 1, 2000},
    {"request_timeout", "1h", 1, 3600000},
    {"request_timeout", "2h", 0, 0},
    {"request_timeout", "5 s", 0, 0},
    {"shutdown_timeout", "0", 1, 0},
    {"max_streams", "100", 1, 100},
    {"max_streams", "101", 0, 0},
};

static void
test_values(void)
{
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        load_defaults();
        lg_err_t err = {0};
        int rc = lg_config_set(&cfg, values[i].name, values[i].value, &err);
        CHECK_MSG((rc == 0) == values[i].ok, "%s=%s", values[i].name, values[i].value);
        if (rc != 0) {
            CHECK_MSG(strncmp(err.msg, values[i].name, strlen(values[i].name)) == 0, "message: %s", err.msg);
            continue;
        }
        long long got = strcmp(values[i].name, "threads") == 0            ? cfg.threads
                        : strcmp(values[i].name, "max_body_bytes") == 0   ? cfg.max_body_bytes
                        : strcmp(values[i].name, "request_timeout") == 0  ? cfg.request_timeout_ms
                        : strcmp(values[i].name, "shutdown_timeout") == 0 ? cfg.shutdown_timeout_ms
                                                                          : cfg.max_streams;
        CHECK_MSG(got == values[i].want, "%s=%s gave %lld", values[i].name, values[i].value, got);
    }
}

static void
test_urls_and_listen(void)
{
    load_defaults();
    CHECK_INT(lg_config_set(&cfg, "public_url", "https://lab.example.org///", NULL), 0);
    CHECK_STR(cfg.public_url, "https://lab.example.org");
    CHECK_INT(lg_config_set(&cfg, "github_url", "http://127.0.0.1:9418/mirror", NULL), 0);
    CHECK_STR(cfg.github_url, "http://127.0.0.1:9418/mirror");
    CHECK(lg_config_set(&cfg, "github_url", "https://", NULL) < 0);
    CHECK(lg_config_set(&cfg, "github_url", "https://a b", NULL) < 0);
    CHECK(lg_config_set(&cfg, "github_url", "https://x#frag", NULL) < 0);
    CHECK(lg_config_set(&cfg, "github_url", "javascript:alert(1)", NULL) < 0);
}

static void
test_url_bytes(void)
{
    /* clang-format off */
    static const struct {
        const char *value;
        int ok;
    } urls[] = {
        {"https://lab.example.org", 1},
        {"http://127.0.0.1:8080/base/path", 1},
        {"https://[::1]:8443", 1},
        {"https://lab.example.org/a%20b/%C3%A9", 1}, /* percent-encoded non-ASCII is fine */
        {"https://lab.example.org/~user/x-y_z.!$&()*+,;=:@", 1},
        {"", 1},                                     /* empty: derive from the request */
        {"https://lab.example.org/\xff", 0},          /* the byte that crashed JSON building */
        {"https://lab\xff.example.org", 0},
        {"https://lab.example.org/caf\xc3\xa9", 0},    /* raw UTF-8 (an IRI): percent-encode it */
        {"https://b\xc3\xbc" "cher.example", 0},
        {"https://lab.example.org/\xc2\x85", 0},       /* NEL */
        {"https://lab.example.org/\xe2\x80\xae", 0},   /* RLO */
        {"https://lab.example.org/\x80", 0},
        {"https://lab.example.org/a b", 0},
        {"https://lab.example.org/a\tb", 0},
        {"https://lab.example.org/a\nb", 0},
        {"https://lab.example.org/\x01", 0},
        {"https://lab.example.org/\x7f", 0},
        {"https://lab.example.org/\"x", 0},
        {"https://lab.example.org/<x>", 0},
        {"https://lab.example.org/x>", 0},
        {"https://lab.example.org\\x", 0},
        {"https://lab.example.org/?q=1", 0},
        {"https://lab.example.org/#top", 0},
        {"ftp://lab.example.org", 0},
        {"https:///path", 0},
        {"lab.example.org", 0},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        load_defaults();
        lg_err_t err = {0};
        int rc = lg_config_set(&cfg, "public_url", urls[i].value, &err);
        CHECK_MSG((rc == 0) == urls[i].ok, "row %zu: public_url=%s", i, urls[i].value);
        if (rc != 0)
            CHECK_MSG(strncmp(err.msg, "public_url: ", 12) == 0, "row %zu: %s", i, err.msg);
        else
            CHECK_STR(cfg.public_url, urls[i].value);
        /* github_url shares the rules */
        CHECK_INT(lg_config_set(&cfg, "github_url", urls[i].value, NULL) == 0, urls[i].ok);
    }

    CHECK_INT(lg_config_set(&cfg, "listen", "[::1]:0", NULL), 0);
    CHECK_STR(cfg.listen[1].host, "::1");
    CHECK_INT(cfg.listen[1].port, 0);
    CHECK(lg_config_set(&cfg, "listen", ":80", NULL) < 0);
    CHECK(lg_config_set(&cfg, "listen", "[::1]", NULL) < 0);
    CHECK(lg_config_set(&cfg, "listen", "host:", NULL) < 0);
    CHECK(lg_config_set(&cfg, "listen", "::1:80", NULL) < 0);
    for (int i = 0; i < LG_LISTEN_MAX; i++)
        lg_config_set(&cfg, "listen", "127.0.0.1:1", NULL);
    CHECK_INT(cfg.nlisten, LG_LISTEN_MAX);
    lg_err_t err;
    CHECK(lg_config_set(&cfg, "listen", "127.0.0.1:1", &err) < 0);
    CHECK(strstr(err.msg, "at most") != NULL);
    CHECK(lg_config_set(&cfg, "no_such_option", "1", &err) < 0);
}

static void
test_flags(void)
{
    char a0[] = "--threads=3", a1[] = "positional", a2[] = "--style", a3[] = "social", a4[] = "--",
         a5[] = "--not-a-flag";
    char *argv[] = {a0, a1, a2, a3, a4, a5};
    lg_flag_t flags[] = {{"style", 1, "", NULL}, {NULL, 0, NULL, NULL}};
    int npos = 0;
    lg_config_free(&cfg);
    CHECK_INT(lg_config_load(&cfg, LG_CMD_GATEWAY, 6, argv, flags, &npos, NULL), 0);
    CHECK_INT(cfg.threads, 3);
    CHECK_STR(flags[0].value, "social");
    CHECK_INT(npos, 2);
    CHECK_STR(argv[0], "positional");
    CHECK_STR(argv[1], "--not-a-flag");
}

/* LABGATE_<NAME> for an option. */
static void
env_name(char *out, size_t cap, const char *option)
{
    size_t n = (size_t)snprintf(out, cap, "LABGATE_%s", option);
    for (size_t i = 8; i < n && i < cap; i++)
        if (out[i] >= 'a' && out[i] <= 'z')
            out[i] = (char)(out[i] - 'a' + 'A');
}

/* Every option set by the environment at once: the loader tracks a source per option, however many the
 * table has. */
static void
test_every_option_from_env(void)
{
    char *argv[] = {NULL}, name[96];
    int npos = 0;
    lg_err_t err = {0};
    for (size_t i = 0; i < lg_noptions; i++) {
        env_name(name, sizeof(name), lg_options[i].name);
        if (lg_options[i].def != NULL && *lg_options[i].def != '\0')
            setenv(name, lg_options[i].def, 1);
    }
    lg_config_free(&cfg);
    CHECK_MSG(lg_config_load(&cfg, LG_CMD_ALL, 0, argv, NULL, &npos, &err) == 0, "%s", err.msg);
    CHECK_INT(cfg.nlisten, 1); /* the environment's listen replaced the default's, not added to it */
    for (size_t i = 0; i < lg_noptions; i++) {
        env_name(name, sizeof(name), lg_options[i].name);
        unsetenv(name);
    }
}

int
main(void)
{
    RUN(test_defaults);
    RUN(test_values);
    RUN(test_urls_and_listen);
    RUN(test_url_bytes);
    RUN(test_every_option_from_env);
    RUN(test_flags);
    lg_config_free(&cfg);
    return check_report();
}
