/* local.c - the local driver: one single-user classic Notebook server per user, on 127.0.0.1, a free
 * port and a random token, with the user's project as its root and its home, runtime and config files
 * outside the project (STATE/USER/). A record there (server.json) lets any worker process on the machine
 * reuse a running server; a per-user lock makes one start at a time. A server whose process died, or
 * that stopped answering, is replaced. Servers stop when idle past idle_timeout, when the process that
 * started them stops (lg_runtime_free), and with it if it dies (PDEATHSIG). */
#include "runtime/runtime.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/mkdirs.h"
#include "core/random.h"
#include "core/urlenc.h"
#include "runtime/http.h"
#include "runtime/record.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STOP_WAIT_MS 5000

typedef struct server {
    struct server *next;
    char user[128];
    pid_t pid;
    int port;
    char token[LG_SERVER_TOKEN_LEN + 1];
} server_t;

typedef struct {
    lg_runtime_opts_t o;
    pthread_mutex_t lock; /* guards servers */
    server_t *servers;    /* the ones this process started */
} local_t;

/* STATE/USER/NAME */
static char *
user_path(const local_t *l, const char *user, const char *name)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s/%s%s%s", l->o.state_dir, user, *name ? "/" : "", name);
    return lg_buf_detach(&b);
}

/* GET path with the token: the answer's body in out (may be NULL); 1 when it said 200. */
static int
get_ok(int port, const char *path, const char *token, int64_t timeout_ms, lg_buf_t *out)
{
    char url[128], auth[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
    snprintf(auth, sizeof(auth), "Authorization: token %s", token);
    const char *headers[] = {auth, NULL};
    lg_http_answer_t a;
    lg_err_t ignored;
    if (lg_http_request("GET", url, headers, NULL, timeout_ms, &a, &ignored) != 0)
        return 0;
    int ok = a.status == 200;
    if (ok && out != NULL)
        lg_buf_append(out, lg_buf_str(&a.body), a.body.len);
    lg_http_answer_free(&a);
    return ok;
}

/* GET /api/status: whether it answers (a request the server does not count as activity). */
static int
status_of(int port, const char *token, int64_t timeout_ms, lg_buf_t *out)
{
    return get_ok(port, "/api/status", token, timeout_ms, out);
}

/* --- starting and stopping --- */

static int
free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

#define MAX_KERNELS 256

/* The processes below pid (its kernels, which run in sessions of their own), at most max, into out. */
static size_t
descendants(pid_t pid, pid_t *out, size_t max)
{
    size_t n = 0;
    out[n++] = pid;
    for (size_t i = 0; i < n && n < max; i++) { /* breadth first: children of out[i] */
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)out[i], (int)out[i]);
        FILE *f = fopen(path, "r");
        int child;
        while (f != NULL && n < max && fscanf(f, "%d", &child) == 1)
            out[n++] = (pid_t)child;
        if (f != NULL)
            fclose(f);
    }
    memmove(out, out + 1, (n - 1) * sizeof(*out));
    return n - 1;
}

static void
signal_all(pid_t pid, const pid_t *kernels, size_t n, int sig)
{
    kill(-pid, sig);
    kill(pid, sig);
    for (size_t i = 0; i < n; i++)
        kill(kernels[i], sig);
}

/* Ends the server pid and its kernels: SIGTERM, then SIGKILL after STOP_WAIT_MS. */
static void
stop_pid(pid_t pid, int child)
{
    pid_t kernels[MAX_KERNELS];
    size_t n = descendants(pid, kernels, MAX_KERNELS);
    signal_all(pid, kernels, n, SIGTERM);
    for (int64_t until = lg_mono_ms() + STOP_WAIT_MS; lg_mono_ms() < until; lg_sleep_ms(20)) {
        pid_t got = child ? waitpid(pid, NULL, WNOHANG) : 0;
        if (got == pid || (got < 0 && errno == ECHILD) ||
            (!child && kill(pid, 0) != 0)) {      /* ECHILD: reaped */
            signal_all(pid, kernels, n, SIGTERM); /* kernels the server left behind */
            return;
        }
    }
    signal_all(pid, kernels, n, SIGKILL);
    if (child)
        waitpid(pid, NULL, 0);
}

static char *
env_entry(const char *name, const char *value)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s=%s", name, value);
    return lg_buf_detach(&b);
}

/* Forks the server; everything the child needs is made before the fork (only async-signal-safe calls
 * after it, as the process has threads). */
static pid_t
spawn(const local_t *l, const char *user, const char *project, int port, const char *token, lg_err_t *err)
{
    char *home = user_path(l, user, "home"), *rt = user_path(l, user, "runtime");
    char *config = user_path(l, user, "config"), *data = user_path(l, user, "data");
    char *logpath = user_path(l, user, "server.log");
    pid_t pid = -1;
    int logfd = -1, nullfd = -1;
    if (lg_mkdirs(home, err) != 0 || lg_mkdirs(rt, err) != 0 || lg_mkdirs(config, err) != 0 ||
        lg_mkdirs(data, err) != 0)
        goto out;
    char *mine = user_path(l, user, ""); /* the user's runtime files, records and logs: the owner's only */
    chmod(mine, 0700);
    free(mine);
    logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); /* this start's log only */
    nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (logfd < 0 || nullfd < 0) {
        lg_err_set(err, LG_EIO, "cannot open %s: %s", logpath, strerror(errno));
        goto out;
    }
    char portarg[32], tokenarg[128], dirarg[4200];
    snprintf(portarg, sizeof(portarg), "--port=%d", port);
    snprintf(tokenarg, sizeof(tokenarg), "--NotebookApp.token=%s", token);
    snprintf(dirarg, sizeof(dirarg), "--notebook-dir=%s", project);
    char *argv[] = {(char *)l->o.jupyter,
                    "--no-browser",
                    "--ip=127.0.0.1",
                    portarg,
                    "--port-retries=0",
                    dirarg,
                    tokenarg,
                    geteuid() == 0 ? "--allow-root" : NULL,
                    NULL};
    const char *path = getenv("PATH"), *lang = getenv("LANG");
    char *envp[] = {env_entry("HOME", home),
                    env_entry("JUPYTER_RUNTIME_DIR", rt),
                    env_entry("JUPYTER_CONFIG_DIR", config),
                    env_entry("JUPYTER_DATA_DIR", data),
                    env_entry("IPYTHONDIR", home),
                    env_entry("PATH", path ? path : "/usr/local/bin:/usr/bin:/bin"),
                    env_entry("LANG", lang ? lang : "C.UTF-8"),
                    NULL};
    pid_t parent = getpid();
    sigset_t none;
    sigemptyset(&none);
    pid = fork();
    if (pid == 0) {
        setsid(); /* its own process group: kernels stop with it */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        dup2(nullfd, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        syscall(SYS_close_range, 3U, ~0U, 0U); /* none of labgate's sockets (Redis, clients) go along */
        if (chdir(project) != 0)
            _exit(127);
        execve(argv[0], argv, envp);
        _exit(127);
    }
    if (pid < 0)
        lg_err_set(err, LG_EIO, "cannot start %s: %s", l->o.jupyter, strerror(errno));
    for (size_t i = 0; envp[i]; i++)
        free(envp[i]);
out:
    if (logfd >= 0)
        close(logfd);
    if (nullfd >= 0)
        close(nullfd);
    free(home);
    free(rt);
    free(config);
    free(data);
    free(logpath);
    return pid;
}

/* The end of the server's log, for an error message. */
static void
log_tail(const local_t *l, const char *user, lg_buf_t *out)
{
    char *path = user_path(l, user, "server.log");
    FILE *f = fopen(path, "r");
    free(path);
    if (f == NULL)
        return;
    char buf[4096];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0, SEEK_SET);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *last = NULL, *save = NULL; /* the last line that says something */
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (strstr(line, "rror") || strstr(line, "ERROR") || last == NULL)
            last = line;
    if (last != NULL)
        lg_buf_printf(out, ": %.300s", last);
}

static void
remember(local_t *l, const char *user, const lg_server_record_t *r)
{
    server_t *s = lg_xcalloc(1, sizeof(*s));
    snprintf(s->user, sizeof(s->user), "%s", user);
    s->pid = r->pid;
    s->port = r->port;
    memcpy(s->token, r->token, sizeof(s->token));
    pthread_mutex_lock(&l->lock);
    s->next = l->servers;
    l->servers = s;
    pthread_mutex_unlock(&l->lock);
}

/* Takes pid out of the list of servers this process started; 1 when it was there. */
static int
forget(local_t *l, pid_t pid)
{
    pthread_mutex_lock(&l->lock);
    int found = 0;
    for (server_t **p = &l->servers; *p; p = &(*p)->next)
        if ((*p)->pid == pid) {
            server_t *s = *p;
            *p = s->next;
            free(s);
            found = 1;
            break;
        }
    pthread_mutex_unlock(&l->lock);
    return found;
}

/* Starts user's server and waits until it answers; a port taken meanwhile is tried again. */
static int
start(local_t *l, const char *user, const char *project, lg_server_record_t *r, lg_err_t *err)
{
    int64_t deadline = lg_mono_ms() + l->o.start_timeout_ms;
    for (int attempt = 0; attempt < 3; attempt++) {
        r->port = free_port();
        lg_random_hex(r->token, LG_SERVER_TOKEN_LEN / 2);
        if (r->port < 0)
            return lg_err_set(err, LG_EIO, "no free port on 127.0.0.1 for a Jupyter server");
        if ((r->pid = spawn(l, user, project, r->port, r->token, err)) < 0)
            return -1;
        int64_t started = lg_mono_ms();
        while (lg_mono_ms() < deadline) {
            if (waitpid(r->pid, NULL, WNOHANG) == r->pid)
                break; /* exited: look at why below */
            if (status_of(r->port, r->token, 1000, NULL)) {
                remember(l, user, r);
                lg_server_record_write(l->o.state_dir, user, r);
                lg_log(LG_LOG_INFO, NULL, "runtime_started", LG_S("user", user), LG_I("port", r->port),
                       LG_I("pid", r->pid), LG_I("ms", lg_mono_ms() - started));
                return 0;
            }
            lg_sleep_ms(20); /* a start takes ~0.5 s: checked often, it is noticed at once */
        }
        if (kill(r->pid, 0) == 0 && waitpid(r->pid, NULL, WNOHANG) == 0) { /* still running: too slow */
            stop_pid(r->pid, 1);
            return lg_err_set(err, LG_ETIMEOUT, "your Jupyter server did not start within %lld s",
                              (long long)(l->o.start_timeout_ms / 1000));
        }
        if (lg_mono_ms() >= deadline)
            break;
    }
    lg_buf_t why = LG_BUF_INIT;
    log_tail(l, user, &why);
    lg_err_set(err, LG_EIO, "your Jupyter server stopped as it started%s", lg_buf_str(&why));
    lg_buf_free(&why);
    return -1;
}

/* The user's lock, held (one start or stop at a time, across processes); -1 with err. */
static int
lock_user(const local_t *l, const char *user, lg_err_t *err)
{
    char *dir = user_path(l, user, ""), *path = user_path(l, user, "lock");
    int fd = -1;
    if (lg_mkdirs(dir, err) == 0 && (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        lg_err_set(err, LG_EIO, "cannot open %s: %s", path, strerror(errno));
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        lg_err_set(err, LG_EIO, "cannot lock %s: %s", path, strerror(errno));
        close(fd);
        fd = -1;
    }
    free(dir);
    free(path);
    return fd;
}

/* user's running server, started if needed; under the user's lock. */
static int
ensure(local_t *l, const char *user, lg_server_record_t *r, lg_err_t *err)
{
    char *project = NULL;
    lg_buf_t p = LG_BUF_INIT;
    lg_buf_printf(&p, "%s/%s", l->o.projects_dir, user);
    project = lg_buf_detach(&p);
    int rc = lg_mkdirs(project, err);
    if (rc == 0 && lg_server_record_read(l->o.state_dir, user, r) == 0) {
        /* a request the server counts as activity (unlike /api/status): the URL handed out now must
         * not lead to a server the idle stop ends before the browser gets there */
        if (lg_server_record_alive(r) && get_ok(r->port, "/api/contents?content=0", r->token, 2000, NULL)) {
            free(project);
            return 0; /* running: reused */
        }
        if (lg_server_record_alive(r)) { /* alive but not answering: replaced */
            lg_log(LG_LOG_WARN, NULL, "runtime_replaced", LG_S("user", user), LG_I("pid", r->pid));
            stop_pid(r->pid, forget(l, r->pid));
        }
        lg_server_record_drop(l->o.state_dir, user);
    }
    if (rc == 0)
        rc = start(l, user, project, r, err);
    free(project);
    return rc;
}

static int
local_open(void *d, const char *user, const char *path, lg_open_kind_t kind, char **url, lg_err_t *err)
{
    local_t *l = d;
    int fd = lock_user(l, user, err);
    if (fd < 0)
        return -1;
    lg_server_record_t r;
    int rc = ensure(l, user, &r, err);
    close(fd);
    if (rc != 0)
        return -1;
    lg_buf_t u = LG_BUF_INIT;
    lg_buf_printf(&u, "http://127.0.0.1:%d/", r.port);
    lg_runtime_path(&u, path, kind);
    lg_buf_printf(&u, "?token=%s", r.token);
    *url = lg_buf_detach(&u);
    return 0;
}

static int
local_status(void *d, const char *user, lg_server_state_t *state, lg_err_t *err)
{
    (void)err;
    local_t *l = d;
    lg_server_record_t r;
    *state = LG_SERVER_STOPPED;
    if (lg_server_record_read(l->o.state_dir, user, &r) == 0 && lg_server_record_alive(&r))
        *state = status_of(r.port, r.token, 2000, NULL) ? LG_SERVER_RUNNING : LG_SERVER_STARTING;
    return 0;
}

static int
local_stop(void *d, const char *user, lg_err_t *err)
{
    local_t *l = d;
    int fd = lock_user(l, user, err);
    if (fd < 0)
        return -1;
    lg_server_record_t r;
    if (lg_server_record_read(l->o.state_dir, user, &r) == 0) {
        if (lg_server_record_alive(&r)) {
            stop_pid(r.pid, forget(l, r.pid));
            lg_log(LG_LOG_INFO, NULL, "runtime_stopped", LG_S("user", user), LG_I("pid", r.pid));
        }
        lg_server_record_drop(l->o.state_dir, user);
    }
    close(fd);
    return 0;
}

/* Seconds since the ISO 8601 UTC time text ("2026-11-29T19:01:02.123456Z"), or -1. */
static double
seconds_since(const char *text)
{
    struct tm tm = {0};
    if (text == NULL || strptime(text, "%Y-%m-%dT%H:%M:%S", &tm) == NULL)
        return -1;
    return difftime(time(NULL), timegm(&tm));
}

/* 1 when the server answered and says it has been idle past the timeout. */
static int
idle(const local_t *l, const server_t *s)
{
    lg_buf_t body = LG_BUF_INIT;
    int idle = 0;
    if (status_of(s->port, s->token, 2000, &body)) {
        json_t *doc = json_loadb(lg_buf_str(&body), body.len, 0, NULL);
        double since = seconds_since(json_string_value(json_object_get(doc, "last_activity")));
        json_int_t connections = json_integer_value(json_object_get(doc, "connections"));
        idle = connections == 0 && since >= 0 && since * 1000 >= (double)l->o.idle_timeout_ms;
        json_decref(doc);
    }
    lg_buf_free(&body);
    return idle;
}

/* Stops s when it is still idle, deciding under the user's lock: an open that reused it meanwhile (which
 * counts as activity) keeps it, and the record is only dropped when it names s. */
static void
stop_if_idle(local_t *l, const server_t *s)
{
    lg_err_t err;
    int fd = lock_user(l, s->user, &err);
    if (fd < 0)
        return;
    if (idle(l, s)) {
        lg_log(LG_LOG_INFO, NULL, "runtime_idle", LG_S("user", s->user),
               LG_I("idle_timeout_ms", l->o.idle_timeout_ms));
        stop_pid(s->pid, forget(l, s->pid));
        lg_server_record_t r;
        if (lg_server_record_read(l->o.state_dir, s->user, &r) == 0 && r.pid == s->pid)
            lg_server_record_drop(l->o.state_dir, s->user);
        lg_log(LG_LOG_INFO, NULL, "runtime_stopped", LG_S("user", s->user), LG_I("pid", s->pid));
    }
    close(fd);
}

static void
local_tick(void *d)
{
    local_t *l = d;
    pthread_mutex_lock(&l->lock);
    size_t n = 0;
    for (server_t *s = l->servers; s; s = s->next)
        n++;
    server_t *copy = lg_xcalloc(n ? n : 1, sizeof(*copy));
    n = 0;
    for (server_t *s = l->servers; s; s = s->next)
        copy[n++] = *s;
    pthread_mutex_unlock(&l->lock);
    for (size_t i = 0; i < n; i++) {
        if (waitpid(copy[i].pid, NULL, WNOHANG) ==
            copy[i].pid) { /* it exited: reaped, and replaced next time */
            forget(l, copy[i].pid);
            lg_log(LG_LOG_WARN, NULL, "runtime_exited", LG_S("user", copy[i].user), LG_I("pid", copy[i].pid));
        } else if (idle(l, &copy[i])) {
            stop_if_idle(l, &copy[i]);
        }
    }
    free(copy);
}

static void
local_free(void *d)
{
    local_t *l = d;
    while (l->servers != NULL) {
        server_t *s = l->servers;
        l->servers = s->next;
        lg_err_t err;
        int fd = lock_user(l, s->user, &err); /* a record another worker writes meanwhile stays */
        stop_pid(s->pid, 1);
        lg_server_record_t r;
        if (lg_server_record_read(l->o.state_dir, s->user, &r) == 0 && r.pid == s->pid)
            lg_server_record_drop(l->o.state_dir, s->user);
        if (fd >= 0)
            close(fd);
        free(s);
    }
    pthread_mutex_destroy(&l->lock);
    free(l);
}

void *
lg_runtime_local_new(const lg_runtime_opts_t *opts, lg_err_t *err)
{
    if (opts->jupyter[0] != '/') {
        lg_err_set(err, LG_EINVAL, "jupyter_program: give an absolute path (%s is relative)", opts->jupyter);
        return NULL;
    }
    if (access(opts->jupyter, X_OK) != 0) {
        lg_err_set(err, LG_EINVAL,
                   "runtime = local needs the classic Jupyter Notebook server, %s (Debian package "
                   "jupyter-notebook): %s; or set runtime = none to import without starting Jupyter",
                   opts->jupyter, strerror(errno));
        return NULL;
    }
    if (lg_mkdirs(opts->state_dir, err) != 0)
        return NULL;
    local_t *l = lg_xcalloc(1, sizeof(*l));
    l->o = *opts;
    pthread_mutex_init(&l->lock, NULL);
    return l;
}

const lg_runtime_driver_t lg_runtime_local = {local_open, local_status, local_stop, local_tick, local_free};
