/* record.h - the record of a user's local Jupyter server, STATE/USER/server.json (mode 0600): its pid,
 * port and token, so that any worker process on the machine finds and reuses it. Callers hold the
 * user's lock (local.c) around reading and replacing it. */
#ifndef LG_RUNTIME_RECORD_H
#define LG_RUNTIME_RECORD_H

#include <sys/types.h>

#define LG_SERVER_TOKEN_LEN 48 /* hex digits: 192 random bits */

typedef struct {
    pid_t pid;
    int port;
    char token[LG_SERVER_TOKEN_LEN + 1];
} lg_server_record_t;

/* 0 with r filled when user's record is there and well-formed; -1 otherwise. */
int lg_server_record_read(const char *state_dir, const char *user, lg_server_record_t *r);
/* Replaces user's record with r (written beside, then renamed); a failure is logged. */
void lg_server_record_write(const char *state_dir, const char *user, const lg_server_record_t *r);
void lg_server_record_drop(const char *state_dir, const char *user);
/* 1 when r's pid is alive and still the Notebook server run with r's token (a pid the system gave to
 * another process since is left alone). */
int lg_server_record_alive(const lg_server_record_t *r);

#endif
