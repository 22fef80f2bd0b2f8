/* mirror.c - the cache of bare mirrors; see mirror.h. The fetch itself (fetch.c) runs in a child process
 * (`labgate mirror-fetch`) that this file starts, reads progress from, and kills at the deadline. */
#include "importer/mirror.h"

#include "core/log.h"
#include "core/mem.h"
#include "importer/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define STAMP "labgate-fetched" /* inside the mirror: the fetch generation; its mtime is the last fetch */

/* Lower-cased; ':' (of HOST:PORT) becomes '_', as libgit2 reads "a:b" in a path as an ssh address. */
static void
append_lower(lg_buf_t *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lg_buf_putc(out, s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i] == ':' ? '_' : s[i]);
}

void
lg_mirror_path(lg_buf_t *out, const char *cache_dir, const char *github_url, const char *owner,
               const char *repo)
{
    const char *host = strstr(github_url, "://");
    host = host ? host + 3 : github_url;
    size_t hostlen = strcspn(host, "/");
    lg_buf_printf(out, "%s/", cache_dir);
    append_lower(out, host, hostlen);
    lg_buf_putc(out, '/');
    append_lower(out, owner, strlen(owner));
    lg_buf_putc(out, '/');
    append_lower(out, repo, strlen(repo));
    lg_buf_puts(out, ".git");
}

/* The fetch generation recorded in the mirror (0 when never fetched), and the time of the last fetch. */
static uint64_t
read_stamp(const char *path, struct timespec *when)
{
    lg_buf_t p = LG_BUF_INIT;
    lg_buf_printf(&p, "%s/" STAMP, path);
    uint64_t gen = 0;
    FILE *f = fopen(lg_buf_str(&p), "re");
    if (f != NULL) {
        struct stat st;
        if (fscanf(f, "%" SCNu64, &gen) != 1)
            gen = 0;
        if (when != NULL && fstat(fileno(f), &st) == 0)
            *when = st.st_mtim;
        fclose(f);
    }
    lg_buf_free(&p);
    return gen;
}

static int
write_stamp(const char *path, uint64_t gen, lg_err_t *err)
{
    lg_buf_t p = LG_BUF_INIT;
    lg_buf_printf(&p, "%s/" STAMP, path);
    FILE *f = fopen(lg_buf_str(&p), "we");
    int rc = 0;
    if (f == NULL || fprintf(f, "%" PRIu64 "\n", gen) < 0 || fclose(f) != 0)
        rc = lg_err_set(err, LG_EIO, "cannot write %s: %s", lg_buf_str(&p), strerror(errno));
    lg_buf_free(&p);
    return rc;
}

static int64_t
age_ms(const struct timespec *when)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)(now.tv_sec - when->tv_sec) * 1000 + (now.tv_nsec - when->tv_nsec) / 1000000;
}

static int64_t
monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
    const lg_import_opts_t *opts;
    const char *url;
    lg_import_progress_fn progress;
    void *ctx;
    lg_buf_t line;   /* the child's current output line */
    char error[256]; /* its "error CODE MESSAGE" line, without "error " */
    int saw_head;
} child_t;

static void
child_line(child_t *c, const char *line)
{
    unsigned long long objects, total, indexed, bytes;
    if (sscanf(line, "progress %llu %llu %llu %llu", &objects, &total, &indexed, &bytes) == 4) {
        if (c->progress != NULL) {
            lg_import_progress_t p = {
                .stage = LG_PROGRESS_FETCH, .objects = objects, .total_objects = total, .bytes = bytes};
            c->progress(c->ctx, &p);
        }
    } else if (strncmp(line, "head ", 5) == 0) {
        c->saw_head = 1;
    } else if (strncmp(line, "error ", 6) == 0) {
        snprintf(c->error, sizeof(c->error), "%s", line + 6);
    }
}

static void
child_input(child_t *c, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (data[i] != '\n') {
            if (c->line.len < 4096)
                lg_buf_putc(&c->line, data[i]);
            continue;
        }
        child_line(c, lg_buf_str(&c->line));
        lg_buf_reset(&c->line);
    }
}

static int
spawn(pid_t *pid, int *out_fd, const lg_import_opts_t *opts, const char *gitdir, const char *url, int create,
      lg_err_t *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return lg_err_set(err, LG_EIO, "cannot start a fetch: %s", strerror(errno));
    char max[32];
    snprintf(max, sizeof(max), "%" PRId64, opts->max_repo_bytes);
    const char *helper = opts->helper ? opts->helper : "/proc/self/exe";
    char *argv[] = {
        "labgate", "mirror-fetch", create ? "--create" : "--update", (char *)gitdir, (char *)url, max, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    int rc = posix_spawn(pid, helper, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return lg_err_set(err, LG_EIO, "cannot start %s for a fetch: %s", helper, strerror(rc));
    }
    *out_fd = fds[0];
    return 0;
}

/* Reads the child's report until it exits or the deadline passes (then kills it). 1 when the deadline
 * passed, 0 when the child closed its output, -1 on a read error. */
static int
follow(child_t *c, int fd, int64_t deadline)
{
    char data[4096];
    for (;;) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0)
            return 1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, left > 1000 ? 1000 : (int)left);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n <= 0)
            continue;
        ssize_t got = read(fd, data, sizeof(data));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got == 0 ? 0 : -1;
        child_input(c, data, (size_t)got);
    }
}

static int
child_error(const child_t *c, int status, lg_err_t *err)
{
    static const struct {
        const char *code;
        lg_errcode_t err;
    } codes[] = {{"notfound", LG_ENOTFOUND}, {"toobig", LG_ETOOBIG}, {"empty", LG_ENOTFOUND}, {"io", LG_EIO}};
    if (c->error[0] == '\0') {
        if (WIFSIGNALED(status))
            return lg_err_set(err, LG_EIO, "the fetch from %s stopped on signal %d", c->url,
                              WTERMSIG(status));
        return lg_err_set(err, LG_EIO, "the fetch from %s failed (exit %d)", c->url, WEXITSTATUS(status));
    }
    size_t n = strcspn(c->error, " ");
    const char *msg = c->error[n] ? c->error + n + 1 : "";
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (strlen(codes[i].code) != n || strncmp(c->error, codes[i].code, n) != 0)
            continue;
        if (codes[i].err == LG_ETOOBIG)
            return lg_err_set(err, LG_ETOOBIG, "the repository is too big: %s (max_repo_bytes)", msg);
        if (codes[i].err == LG_ENOTFOUND)
            return lg_err_set(err, LG_ENOTFOUND, "repository not found at %s: %s", c->url, msg);
        break;
    }
    return lg_err_set(err, LG_EIO, "cannot fetch %s: %s", c->url, msg);
}

/* Runs one fetch into gitdir under the deadline. */
static int
run_fetch(const lg_import_opts_t *opts, const char *gitdir, const char *url, int create,
          lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    child_t c = {.opts = opts, .url = url, .progress = progress, .ctx = ctx, .line = LG_BUF_INIT};
    pid_t pid = -1;
    int fd = -1;
    if (spawn(&pid, &fd, opts, gitdir, url, create, err) != 0)
        return -1;
    int late = follow(&c, fd, monotonic_ms() + opts->fetch_timeout_ms);
    if (late != 0)
        kill(pid, SIGKILL);
    close(fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = 0;
    if (late == 1)
        rc = lg_err_set(err, LG_ETIMEOUT,
                        "fetching %s took longer than fetch_timeout (%" PRId64
                        " s): the server is slow or not answering; try again later",
                        url, opts->fetch_timeout_ms / 1000);
    else if (late < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !c.saw_head)
        rc = child_error(&c, status, err);
    lg_buf_free(&c.line);
    return rc;
}

static int
create_mirror(const lg_import_opts_t *opts, const char *path, const char *url, lg_import_progress_fn progress,
              void *ctx, lg_err_t *err)
{
    lg_buf_t tmp = LG_BUF_INIT;
    lg_buf_printf(&tmp, "%s.labgate-new", path);
    lg_fs_remove_tree(lg_buf_str(&tmp)); /* left by a fetch that died; we hold the lock */
    int rc = run_fetch(opts, lg_buf_str(&tmp), url, 1, progress, ctx, err);
    if (rc == 0)
        rc = write_stamp(lg_buf_str(&tmp), 1, err);
    if (rc == 0)
        lg_fs_remove_tree(path); /* a mirror without a stamp never finished its first fetch */
    if (rc == 0 && rename(lg_buf_str(&tmp), path) != 0)
        rc =
            lg_err_set(err, LG_EIO, "cannot move the new mirror into place at %s: %s", path, strerror(errno));
    if (rc != 0)
        lg_fs_remove_tree(lg_buf_str(&tmp));
    lg_buf_free(&tmp);
    return rc;
}

static int
lock_mirror(int *fd, const char *path, lg_err_t *err)
{
    lg_buf_t p = LG_BUF_INIT;
    lg_buf_printf(&p, "%s.labgate-lock", path);
    *fd = open(lg_buf_str(&p), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    int rc = 0;
    if (*fd < 0)
        rc = lg_err_set(err, LG_EIO, "cannot open %s: %s", lg_buf_str(&p), strerror(errno));
    else
        while ((rc = flock(*fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
    if (rc != 0 && *fd >= 0) {
        rc = lg_err_set(err, LG_EIO, "cannot lock %s: %s", lg_buf_str(&p), strerror(errno));
        close(*fd);
    }
    lg_buf_free(&p);
    return rc;
}

int
lg_mirror_sync(int *fetched, const lg_import_opts_t *opts, const char *path, const char *url, int force,
               const char *log_id, lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    *fetched = 0;
    char *parent = lg_xstrdup(path);
    *strrchr(parent, '/') = '\0';
    int rc = lg_fs_mkdirs(parent, err);
    free(parent);
    if (rc != 0)
        return -1;
    uint64_t seen = read_stamp(path, NULL);
    int lock;
    if (lock_mirror(&lock, path, err) != 0)
        return -1;
    struct timespec when = {0};
    uint64_t gen = read_stamp(path, &when);
    int64_t started = monotonic_ms();
    if (gen == 0) {
        rc = create_mirror(opts, path, url, progress, ctx, err);
        *fetched = rc == 0;
    } else if (gen != seen || (!force && age_ms(&when) < opts->mirror_max_age_ms)) {
        lg_log(LG_LOG_DEBUG, log_id, "mirror_reused", LG_S("mirror", path),
               LG_S("why", gen != seen ? "fetched while waiting" : "fresh"));
        close(lock);
        return 0;
    } else {
        rc = run_fetch(opts, path, url, 0, progress, ctx, err);
        if (rc == 0)
            rc = write_stamp(path, gen + 1, err);
        *fetched = rc == 0;
    }
    close(lock);
    lg_log(LG_LOG_DEBUG, log_id, "mirror_fetched", LG_S("mirror", path), LG_I("new", gen == 0),
           LG_I("ms", monotonic_ms() - started), LG_S("error", rc == 0 ? "" : err->msg));
    return rc;
}
