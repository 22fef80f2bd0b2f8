/* record.c - the record of a user's local Jupyter server; see record.h. */
#include "runtime/record.h"

#include "core/buf.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* STATE/USER/NAME */
static char *
path_of(const char *state_dir, const char *user, const char *name)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s/%s/%s", state_dir, user, name);
    return lg_buf_detach(&b);
}

int
lg_server_record_read(const char *state_dir, const char *user, lg_server_record_t *r)
{
    char *path = path_of(state_dir, user, "server.json");
    json_t *doc = json_load_file(path, 0, NULL);
    free(path);
    const char *token = json_string_value(json_object_get(doc, "token"));
    json_int_t pid = json_integer_value(json_object_get(doc, "pid"));
    json_int_t port = json_integer_value(json_object_get(doc, "port"));
    int ok = token != NULL && strlen(token) == LG_SERVER_TOKEN_LEN && pid > 1 && port > 0 && port < 65536;
    if (ok) {
        r->pid = (pid_t)pid;
        r->port = (int)port;
        memcpy(r->token, token, sizeof(r->token));
    }
    json_decref(doc);
    return ok ? 0 : -1;
}

void
lg_server_record_write(const char *state_dir, const char *user, const lg_server_record_t *r)
{
    char *path = path_of(state_dir, user, "server.json"), *tmp = path_of(state_dir, user, "server.json.tmp");
    json_t *doc = json_pack("{s:I,s:i,s:s,s:I}", "pid", (json_int_t)r->pid, "port", r->port, "token",
                            r->token, "started", (json_int_t)time(NULL));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600); /* it holds the server's token */
    int rc = fd >= 0 && doc != NULL ? json_dumpfd(doc, fd, JSON_COMPACT) : -1;
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc != 0 || rename(tmp, path) != 0) {
        lg_log(LG_LOG_WARN, NULL, "runtime_record_failed", LG_S("path", path),
               LG_S("error", strerror(errno)));
        unlink(tmp);
    }
    json_decref(doc);
    free(path);
    free(tmp);
}

void
lg_server_record_drop(const char *state_dir, const char *user)
{
    char *path = path_of(state_dir, user, "server.json");
    unlink(path);
    free(path);
}

int
lg_server_record_alive(const lg_server_record_t *r)
{
    char path[64], buf[8192];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)r->pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    buf[n] = '\0';
    char want[128];
    snprintf(want, sizeof(want), "--NotebookApp.token=%s", r->token);
    return strstr(buf, want) != NULL;
}
