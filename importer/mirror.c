/* mirror.c - the cache of bare mirrors; see mirror.h. The fetch itself (fetch.c) runs in a child process
 * (`labgate mirror-fetch`) that this file starts, reads progress from, and kills at the deadline. */
#include "importer/mirror.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/mkdirs.h"
#include "importer/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#define STAMP "labgate-fetched" /* inside the mirror */
#define LOCK  ".labgate-lock"   /* beside it */

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

/* What the files say about past fetches of a mirror: the stamp inside it ("GEN STARTED_NS", its mtime
 * the end of the last fetch) and, in the lock file beside it, the count of failed fetches and the last
 * one's error ("FAILS CODE MESSAGE"). Written only by the holder of the lock. */
typedef struct {
    uint64_t gen;         /* successful fetches; 0 when the mirror does not exist yet */
    int64_t started_ns;   /* when the last successful fetch started (CLOCK_REALTIME) */
    struct timespec done; /* when it ended */
    uint64_t fails;
    int code;
    char msg[256];
} state_t;

static int64_t
realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
read_state(state_t *st, const char *path)
{
    memset(st, 0, sizeof(*st));
    lg_buf_t p = LG_BUF_INIT;
    lg_buf_printf(&p, "%s/" STAMP, path);
    FILE *f = fopen(p.data, "re");
    struct stat sb;
    if (f != NULL) {
        if (fscanf(f, "%" SCNu64 " %" SCNd64, &st->gen, &st->started_ns) < 1)
            st->gen = 0;
        if (fstat(fileno(f), &sb) == 0)
            st->done = sb.st_mtim;
        fclose(f);
    }
    lg_buf_reset(&p);
    lg_buf_printf(&p, "%s" LOCK, path);
    f = fopen(p.data, "re");
    if (f != NULL) {
        if (fscanf(f, "%" SCNu64 " %d %255[^\n]", &st->fails, &st->code, st->msg) < 1)
            st->fails = 0;
        fclose(f);
    }
    lg_buf_free(&p);
}

static int
write_stamp(const char *path, uint64_t gen, int64_t started_ns, lg_err_t *err)
{
    lg_buf_t p = LG_BUF_INIT;
    lg_buf_printf(&p, "%s/" STAMP, path);
    FILE *f = fopen(p.data, "we");
    int rc = 0;
    if (f == NULL || fprintf(f, "%" PRIu64 " %" PRId64 "\n", gen, started_ns) < 0 || fclose(f) != 0)
        rc = lg_err_set(err, LG_EIO, "cannot write %s: %s", p.data, strerror(errno));
    lg_buf_free(&p);
    return rc;
}

/* Records a failed fetch in the lock file (held), for those who waited on it. */
static void
write_failure(int lock, uint64_t fails, const lg_err_t *e)
{
    char line[320];
    int n = snprintf(line, sizeof(line), "%" PRIu64 " %d %s\n", fails, (int)e->code, e->msg);
    if (ftruncate(lock, 0) == 0 && pwrite(lock, line, (size_t)n, 0) < 0)
        return; /* best effort: a waiter then fetches again itself */
}

static int64_t
age_ms(const struct timespec *when)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)(now.tv_sec - when->tv_sec) * 1000 + (now.tv_nsec - when->tv_nsec) / 1000000;
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
    char max[32], parent[32];
    snprintf(max, sizeof(max), "%" PRId64, opts->max_repo_bytes);
    snprintf(parent, sizeof(parent), "%ld", (long)getpid());
    const char *helper = opts->helper ? opts->helper : "/proc/self/exe";
    char *argv[] = {
        "labgate", "mirror-fetch", create ? "--create" : "--update", (char *)gitdir, (char *)url, max, parent,
        NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    /* The child starts with no signal blocked and SIGPIPE, SIGTERM and SIGINT at their defaults, whatever
     * the parent (a gateway or worker thread) set. */
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    int rc = posix_spawn(pid, helper, &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
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
        int64_t left = deadline - lg_mono_ms();
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
    int late = follow(&c, fd, lg_mono_ms() + opts->fetch_timeout_ms);
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
create_mirror(const lg_import_opts_t *opts, const char *path, const char *url, int64_t started_ns,
              lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    lg_buf_t tmp = LG_BUF_INIT;
    lg_buf_printf(&tmp, "%s.labgate-new", path);
    lg_fs_remove_tree(lg_buf_str(&tmp)); /* left by a fetch that died; we hold the lock */
    int rc = run_fetch(opts, lg_buf_str(&tmp), url, 1, progress, ctx, err);
    if (rc == 0)
        rc = write_stamp(lg_buf_str(&tmp), 1, started_ns, err);
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
remove_lock_file(const char *file, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    size_t n = strlen(file);
    if (type == FTW_F && n > 5 && strcmp(file + n - 5, ".lock") == 0 && ftw->level > 0)
        unlink(file);
    return 0;
}

/* A fetch killed at its deadline may leave libgit2's *.lock files (refs, packed-refs, config): with
 * the mirror's lock held nobody else writes, so they are stale, and would fail every later fetch. */
static void
remove_stale_locks(const char *path)
{
    nftw(path, remove_lock_file, 16, FTW_PHYS);
}

typedef enum { REUSE, FAILED, FETCH } decision_t;

/* seen: the state when this import asked (before the lock), now: after it got the lock. A fetch that
 * ended while it waited serves it, unless it was forced and that fetch started before it asked; one that
 * failed while it waited fails it too, so waiters do not each wait out a dead server in turn. */
static decision_t
decide(const state_t *seen, const state_t *now, int force, int64_t asked_ns, int64_t max_age_ms)
{
    if (now->gen != seen->gen && (!force || now->started_ns >= asked_ns))
        return REUSE;
    if (now->fails != seen->fails)
        return FAILED;
    if (now->gen != 0 && !force && age_ms(&now->done) < max_age_ms)
        return REUSE;
    return FETCH;
}

static int
fetch_locked(const lg_import_opts_t *opts, const char *path, const char *url, const state_t *now, int lock,
             lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    int64_t started_ns = realtime_ns();
    int rc;
    if (now->gen == 0) {
        rc = create_mirror(opts, path, url, started_ns, progress, ctx, err);
    } else {
        remove_stale_locks(path);
        rc = run_fetch(opts, path, url, 0, progress, ctx, err);
        if (rc == 0)
            rc = write_stamp(path, now->gen + 1, started_ns, err);
    }
    if (rc != 0)
        write_failure(lock, now->fails + 1, err);
    return rc;
}

int
lg_mirror_sync(int *fetched, const lg_import_opts_t *opts, const char *path, const char *url, int force,
               const char *log_id, lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    *fetched = 0;
    char *parent = lg_xstrdup(path);
    *strrchr(parent, '/') = '\0';
    int rc = lg_mkdirs(parent, err);
    free(parent);
    if (rc != 0)
        return -1;
    state_t seen, now;
    int64_t asked_ns = realtime_ns();
    read_state(&seen, path);
    int lock;
    lg_buf_t lockpath = LG_BUF_INIT;
    lg_buf_printf(&lockpath, "%s" LOCK, path);
    rc = lg_fs_lock(&lock, lockpath.data, err);
    lg_buf_free(&lockpath);
    if (rc != 0)
        return -1;
    read_state(&now, path);
    int64_t started = lg_mono_ms();
    switch (decide(&seen, &now, force, asked_ns, opts->mirror_max_age_ms)) {
    case REUSE:
        lg_log(LG_LOG_DEBUG, log_id, "mirror_reused", LG_S("mirror", path),
               LG_S("why", now.gen != seen.gen ? "fetched while waiting" : "fresh"));
        break;
    case FAILED:
        rc = lg_err_set(err, (lg_errcode_t)now.code, "%s", now.msg);
        break;
    case FETCH:
        rc = fetch_locked(opts, path, url, &now, lock, progress, ctx, err);
        *fetched = rc == 0;
        lg_log(LG_LOG_DEBUG, log_id, "mirror_fetched", LG_S("mirror", path), LG_I("new", now.gen == 0),
               LG_I("ms", lg_mono_ms() - started), LG_S("error", rc == 0 ? "" : err->msg));
        break;
    }
    close(lock);
    return rc;
}

int
lg_mirror_forget(const char *path, lg_err_t *err)
{
    int lock = -1;
    lg_buf_t lockpath = LG_BUF_INIT;
    lg_buf_printf(&lockpath, "%s" LOCK, path);
    int rc = access(path, F_OK) == 0 ? lg_fs_lock(&lock, lockpath.data, err) : 0;
    if (rc == 0 && lock >= 0) { /* no fetch of it runs now: the lock is ours */
        if (access(path, F_OK) == 0 && lg_fs_remove_tree(path) != 0)
            rc = lg_err_set(err, LG_EIO, "cannot remove the mirror %s: %s", path, strerror(errno));
        unlink(lockpath.data); /* while held: a waiter then finds it gone and locks a new one */
        close(lock);
    }
    lg_buf_free(&lockpath);
    return rc;
}
