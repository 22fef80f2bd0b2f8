/* cmd_dev.c - `labgate dev`: everything on one machine from one command. A private redis-server (on a
 * unix socket, unless redis names another one), a worker (a child `labgate worker` with the same
 * configuration, which starts users' local Jupyter servers) and the gateway in this process, with dev
 * sign-in. Ctrl-C (or SIGTERM) stops the gateway, then the worker (its jobs finish, its Jupyter servers
 * stop), then Redis; a child that dies with labgate dev still running is reported and ends the run. */
#include "cmd/cmd.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mkdirs.h"
#include "gateway/gateway.h"
#include "gateway/listener.h"

#include <errno.h>
#include <fcntl.h>
#include <hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_REDIS "redis://127.0.0.1:6379"
#define REDIS_SERVER  "/usr/bin/redis-server"

/* Starts argv[0] in a process group of its own (so a Ctrl-C reaches only labgate dev, which stops the
 * children in order), dying with this process, its output appended to log. */
static pid_t
spawn(char *const argv[], const char *log)
{
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        dup2(fd, 1);
        dup2(fd, 2);
        syscall(SYS_close_range, 3U, ~0U, 0U); /* nothing of labgate's goes along */
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd);
    return pid;
}

/* SIGTERM, then SIGKILL when it has not exited within wait_ms. */
static void
stop_child(pid_t pid, const char *what, long wait_ms)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (long waited = 0; waited < wait_ms; waited += 50) {
        pid_t got = waitpid(pid, NULL, WNOHANG);
        if (got == pid || (got < 0 && errno == ECHILD))
            return;
        lg_sleep_ms(50);
    }
    lg_log(LG_LOG_WARN, NULL, "dev_kill", LG_S("what", what));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* A private redis-server on STATE/redis.sock, append-only in STATE; waits until it answers. */
static pid_t
start_redis(const char *state, const char *sock)
{
    lg_buf_t log = LG_BUF_INIT;
    lg_buf_printf(&log, "%s/redis.log", state);
    char *argv[] = {REDIS_SERVER,
                    "--port",
                    "0",
                    "--unixsocket",
                    (char *)sock,
                    "--unixsocketperm",
                    "700",
                    "--dir",
                    (char *)state,
                    "--appendonly",
                    "yes",
                    "--save",
                    "",
                    "--loglevel",
                    "warning",
                    NULL};
    pid_t pid = access(REDIS_SERVER, X_OK) == 0 ? spawn(argv, log.data) : -1;
    lg_buf_free(&log);
    for (int i = 0; pid > 0 && i < 100; i++) {
        redisContext *c = redisConnectUnix(sock);
        redisReply *r = c && !c->err ? redisCommand(c, "PING") : NULL;
        int up = r != NULL && r->type == REDIS_REPLY_STATUS;
        freeReplyObject(r);
        redisFree(c);
        if (up)
            return pid;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return -1;
        lg_sleep_ms(50);
    }
    stop_child(pid, "redis-server", 2000);
    return -1;
}

/* The configuration the worker gets: this one, as a file only its owner reads (it holds secrets). */
static char *
write_config(const lg_config_t *cfg, const char *state)
{
    lg_buf_t path = LG_BUF_INIT;
    lg_buf_printf(&path, "%s/worker.ini", state);
    int fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        if (fd >= 0)
            close(fd);
        lg_buf_free(&path);
        return NULL;
    }
    lg_config_print_ini(f, cfg);
    fclose(f);
    return lg_buf_detach(&path);
}

typedef struct {
    pid_t children[2]; /* the worker, and the private redis-server (0 when there is none) */
    atomic_int stopping;
} watch_t;

/* While the gateway runs: a child that exits ends the run (the gateway is told to stop). */
static void *
watch_children(void *arg)
{
    watch_t *w = arg;
    static const char *const names[] = {"worker", "redis-server"};
    while (!atomic_load(&w->stopping)) {
        for (int i = 0; i < 2; i++) {
            int status;
            if (w->children[i] > 0 && waitpid(w->children[i], &status, WNOHANG) == w->children[i]) {
                w->children[i] = 0;
                lg_log(LG_LOG_ERROR, NULL, "dev_child_exited", LG_S("what", names[i]),
                       LG_I("status", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
                kill(getpid(), SIGTERM);
                return NULL;
            }
        }
        lg_sleep_ms(200);
    }
    return NULL;
}

static int
run(lg_config_t *cfg)
{
    lg_buf_t state = LG_BUF_INIT, sock = LG_BUF_INIT, log = LG_BUF_INIT;
    lg_buf_printf(&state, "%s/.labgate-dev", cfg->cache_dir);
    lg_buf_printf(&sock, "%s/redis.sock", state.data);
    lg_buf_printf(&log, "%s/worker.log", state.data);
    pid_t redis = 0, worker = -1;
    int rc = LG_EXIT_FAILED;
    char *ini = NULL;
    lg_err_t err;
    if (lg_mkdirs(state.data, &err) != 0 ||
        (chmod(state.data, 0700) != 0 && lg_err_set(&err, LG_EIO, "%s", strerror(errno)))) {
        fprintf(stderr, "labgate dev: cannot prepare %s: %s\n", state.data, err.msg);
        goto out;
    }
    if (strcmp(cfg->redis, DEFAULT_REDIS) == 0) {
        if ((redis = start_redis(state.data, sock.data)) < 0) {
            fprintf(stderr, "labgate dev: cannot start %s (Debian package redis-server); see %s/redis.log\n",
                    REDIS_SERVER, state.data);
            goto out;
        }
        free(cfg->redis);
        cfg->redis = strdup(sock.data);
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0 || (ini = write_config(cfg, state.data)) == NULL) {
        fprintf(stderr, "labgate dev: cannot prepare the worker in %s\n", state.data);
        goto out;
    }
    self[n] = '\0';
    char *argv[] = {self, "worker", "--config", ini, NULL};
    if ((worker = spawn(argv, log.data)) < 0) {
        fprintf(stderr, "labgate dev: cannot start the worker: %s\n", strerror(errno));
        goto out;
    }
    lg_listen_t *l = &cfg->listen[0];
    uint16_t port = 0;
    if (l->port == 0 && lg_listener_probe(l, &port, &err) == 0)
        l->port = port; /* port 0: the free port the gateway then binds, so that the address printed works */
    fprintf(stderr,
            "\nlabgate is running: open http://%s%s%s:%u/ and sign in with any name (Ctrl-C stops it).\n"
            "Projects: %s   Worker log: %s\n\n",
            strchr(l->host, ':') ? "[" : "", l->host, strchr(l->host, ':') ? "]" : "", l->port,
            cfg->projects_dir, log.data);
    sigset_t stops; /* blocked before the watcher starts, so that it never takes them: the gateway does */
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stops, NULL);
    watch_t w = {{worker, redis}, 0};
    pthread_t watcher;
    pthread_create(&watcher, NULL, watch_children, &w);
    rc = LG_EXIT_OK;
    if (lg_gateway_run(cfg, &err) != 0) {
        lg_log(LG_LOG_ERROR, NULL, "gateway_failed", LG_S("error", err.msg));
        rc = err.code == LG_EINVAL ? LG_EXIT_USAGE : LG_EXIT_FAILED;
    }
    atomic_store(&w.stopping, 1);
    pthread_join(watcher, NULL);
    if (w.children[0] == 0 || (redis > 0 && w.children[1] == 0))
        rc = LG_EXIT_FAILED;
    worker = w.children[0];
    redis = w.children[1];
out:
    stop_child(worker, "worker", cfg->shutdown_timeout_ms + 30000);
    if (redis > 0)
        stop_child(redis, "redis-server", 10000);
    free(ini);
    lg_buf_free(&state);
    lg_buf_free(&sock);
    lg_buf_free(&log);
    return rc;
}

int
lg_cmd_dev(int argc, char **argv)
{
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate dev [OPTIONS]",
                     "Run everything on this machine: a private redis-server (unless --redis names one),\n"
                     "a worker that starts each user's Jupyter Notebook server (runtime = local), and the\n"
                     "gateway with dev sign-in. Prints the address to open; Ctrl-C stops it all.",
                     NULL, LG_CMD_GATEWAY | LG_CMD_WORKER);
        return LG_EXIT_OK;
    }
    lg_config_t cfg;
    if (lg_cmd_setup(&cfg, "dev", LG_CMD_GATEWAY | LG_CMD_WORKER, &argc, argv, NULL) != 0)
        return LG_EXIT_USAGE;
    int rc = LG_EXIT_USAGE;
    if (argc > 0)
        fprintf(stderr, "labgate dev: unexpected argument \"%s\"\n", argv[0]);
    else
        rc = run(&cfg);
    lg_config_free(&cfg);
    return rc;
}
