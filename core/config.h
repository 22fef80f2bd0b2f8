/* config.h - labgate's configuration: one struct, filled from a table of options (options.c) by
 * defaults, then an INI file (--config FILE or LABGATE_CONFIG), then LABGATE_* environment variables,
 * then command-line flags; later sources win. Invalid values are refused with the option's name and
 * what is allowed. */
#ifndef LG_CONFIG_H
#define LG_CONFIG_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LG_LISTEN_MAX 16

/* Which commands an option applies to (shown in their --help, accepted as their flags). */
enum {
    LG_CMD_GATEWAY = 1 << 0,
    LG_CMD_BADGE = 1 << 1,
    LG_CMD_CONFIG = 1 << 2,
    LG_CMD_IMPORT = 1 << 3,
    LG_CMD_WORKER = 1 << 4,
    LG_CMD_ALL = 0xFFFF,
};

typedef struct {
    char host[256]; /* a literal address or a name; IPv6 without brackets */
    uint16_t port;  /* 0 picks a free port, reported in the "listening" log line */
} lg_listen_t;

typedef struct {
    lg_listen_t listen[LG_LISTEN_MAX];
    size_t nlisten;
    int64_t threads;
    char *public_url; /* "" = derive from each request's Host */
    int log_level;    /* lg_log_level_t */
    int log_format;   /* lg_log_format_t */
    char *tls_cert;
    char *tls_key;
    char *github_url;
    int64_t max_body_bytes;
    int64_t max_header_bytes;
    int64_t max_connections;
    int64_t max_streams;
    int64_t request_timeout_ms;
    int64_t response_timeout_ms;
    int64_t shutdown_timeout_ms;
    char *projects_dir;
    char *cache_dir;
    int64_t fetch_timeout_ms;
    int64_t mirror_max_age_ms;
    int64_t max_repo_bytes;
    int64_t max_files;
    int64_t max_file_bytes;
    char *redis;
    char *redis_prefix;
    int64_t worker_concurrency;
    int64_t dedup_window_ms;
    int64_t max_attempts;
    int64_t job_lease_ms;
    int auth; /* lg_auth_mode_t */
    char *auth_header;
    char *trusted_proxies;
    char *session_secret;
    int64_t session_lifetime_ms;
    int runtime; /* lg_runtime_kind_t (runtime/runtime.h) */
    char *runtime_dir;
    char *jupyter_program;
    int64_t runtime_start_timeout_ms;
    int64_t runtime_idle_timeout_ms;
    char *jupyterhub_url;
    char *jupyterhub_public_url;
    char *jupyterhub_token;
    char *jupyterhub_client_id;
    char *webhook_secret;
    char *webhook_repos;
    int webhook_mirror_new; /* 0 no, 1 yes */
} lg_config_t;

typedef enum { LG_AUTH_DEV, LG_AUTH_HEADER, LG_AUTH_JUPYTERHUB } lg_auth_mode_t;

typedef enum {
    LG_OPT_INT,      /* a decimal integer within [min, max]; INT, SIZE and DURATION fields are int64_t */
    LG_OPT_SIZE,     /* bytes, with an optional k/m/g suffix (powers of 1024) */
    LG_OPT_DURATION, /* milliseconds, written as 30, 30s, 500ms or 5m (plain numbers are seconds) */
    LG_OPT_ENUM,     /* one of the '|'-separated choices, stored as its index */
    LG_OPT_STRING,
    LG_OPT_URL,     /* http:// or https:// URL without query or fragment; stored without trailing '/' */
    LG_OPT_GIT_URL, /* the same, or git:// */
    LG_OPT_LISTEN,  /* HOST:PORT, repeatable; in one environment variable separated by commas */
} lg_opt_type_t;

typedef struct {
    const char *name; /* as in the file; LABGATE_<NAME> in the environment; --name (or --na-me) as flag */
    lg_opt_type_t type;
    size_t offset;       /* of the field in lg_config_t */
    const char *def;     /* default, parsed like any other value; NULL for none */
    int64_t min, max;    /* bounds of INT, SIZE (bytes) and DURATION (ms) */
    const char *choices; /* ENUM: "debug|info|warn|error" */
    unsigned commands;   /* LG_CMD_* mask */
    const char *help;
} lg_option_t;

extern const lg_option_t lg_options[];
extern const size_t lg_noptions;

/* A flag a command takes besides the configuration options (e.g. `labgate badge --style`). */
typedef struct {
    const char *name; /* without the leading "--" */
    int takes_value;
    const char *help;
    const char *value; /* out: the value given, or "1" for a switch; NULL when absent */
} lg_flag_t;

/* Loads the configuration for command `command` (an LG_CMD_* bit) from all sources. argv holds the
 * command's arguments (after the command name). Recognised flags are consumed; positional arguments are
 * left in argv[0..*npositional) in order. `flags` (may be NULL) lists the command's own flags, NULL-name
 * terminated. On failure err says where the bad value came from (file and line, variable or flag). */
int lg_config_load(lg_config_t *cfg, unsigned command, int argc, char **argv, lg_flag_t *flags,
                   int *npositional, lg_err_t *err);
void lg_config_free(lg_config_t *cfg);

/* Sets one option from text, as a source would; exposed for tests. */
int lg_config_set(lg_config_t *cfg, const char *name, const char *value, lg_err_t *err);

/* Prints the options of `command` for --help, and the whole table as Markdown for the docs. */
void lg_config_print_help(FILE *f, unsigned command);
void lg_config_print_markdown(FILE *f);
/* Prints the effective configuration as an INI file. */
void lg_config_print_ini(FILE *f, const lg_config_t *cfg);

#endif
