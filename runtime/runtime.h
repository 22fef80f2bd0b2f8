/* runtime.h - the user's Jupyter, started on demand: one interface (ensure started, status, stop, the
 * URL that opens a path) over three drivers chosen by option `runtime`:
 *   local       one single-user classic Notebook server per user on loopback (local.c);
 *   jupyterhub  the user's server on a JupyterHub, through its REST API (hub.c);
 *   none        nothing is started: imports end with the files in place.
 * Calls block (a worker thread runs them) and are safe from several threads at once. */
#ifndef LG_RUNTIME_H
#define LG_RUNTIME_H

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"

#include <stdint.h>

typedef struct {
    int kind;                   /* lg_runtime_kind_t */
    const char *projects_dir;   /* PROJECTS/USER is the server's root */
    const char *state_dir;      /* local: servers' homes, runtime files and records */
    const char *jupyter;        /* local: the single-user server's program */
    int64_t start_timeout_ms;   /* a server not ready by then fails the start */
    int64_t idle_timeout_ms;    /* local: a server unused this long is stopped */
    const char *hub_url;        /* jupyterhub: where its API is (http://host:port, no /hub) */
    const char *hub_public_url; /* jupyterhub: where browsers reach it */
    const char *hub_token;      /* jupyterhub: the labgate service's API token */
    int hub_signin;             /* users signed in through the hub: they need no token in the URL */
} lg_runtime_opts_t;

typedef enum { LG_RUNTIME_NONE, LG_RUNTIME_LOCAL, LG_RUNTIME_JUPYTERHUB } lg_runtime_kind_t;

typedef struct lg_runtime lg_runtime_t;

void lg_runtime_opts_from_config(lg_runtime_opts_t *out, const lg_config_t *cfg);

/* The driver opts names; NULL with err when it cannot run here (e.g. the program is missing). */
lg_runtime_t *lg_runtime_new(const lg_runtime_opts_t *opts, lg_err_t *err);
/* The driver's kind (lg_runtime_kind_t). */
int lg_runtime_kind(const lg_runtime_t *rt);
/* Stops every server this process started (local), and frees rt. */
void lg_runtime_free(lg_runtime_t *rt);

/* How a path opens in the classic Notebook interface. */
typedef enum { LG_OPEN_NOTEBOOK, LG_OPEN_FOLDER, LG_OPEN_FILE } lg_open_kind_t;

/* Makes sure user's server runs, starting it when needed, then returns in *url (malloc'd) the address
 * that opens path (relative to the user's project) as kind. With runtime none, *url is NULL. err says
 * why not, in words for the user; LG_ETIMEOUT when it did not become ready in time. */
int lg_runtime_open(lg_runtime_t *rt, const char *user, const char *path, lg_open_kind_t kind, char **url,
                    lg_err_t *err);
/* Appends the server-relative address of path: notebooks/PATH, tree/PATH or edit/PATH, encoded. */
void lg_runtime_path(lg_buf_t *out, const char *path, lg_open_kind_t kind);

typedef enum { LG_SERVER_STOPPED, LG_SERVER_STARTING, LG_SERVER_RUNNING } lg_server_state_t;

/* What user's server is doing now. */
int lg_runtime_status(lg_runtime_t *rt, const char *user, lg_server_state_t *state, lg_err_t *err);
/* Stops user's server (nothing when it is not running). */
int lg_runtime_stop(lg_runtime_t *rt, const char *user, lg_err_t *err);
/* Housekeeping, every few seconds from one thread: stops servers idle past idle_timeout, and reaps
 * servers that exited. */
void lg_runtime_tick(lg_runtime_t *rt);

/* What a driver provides (runtime.c dispatches to it). */
typedef struct {
    int (*open)(void *d, const char *user, const char *path, lg_open_kind_t kind, char **url, lg_err_t *err);
    int (*status)(void *d, const char *user, lg_server_state_t *state, lg_err_t *err);
    int (*stop)(void *d, const char *user, lg_err_t *err);
    void (*tick)(void *d);
    void (*free)(void *d);
} lg_runtime_driver_t;

void *lg_runtime_local_new(const lg_runtime_opts_t *opts, lg_err_t *err);
void *lg_runtime_hub_new(const lg_runtime_opts_t *opts, lg_err_t *err);
extern const lg_runtime_driver_t lg_runtime_local, lg_runtime_hub;

#endif
