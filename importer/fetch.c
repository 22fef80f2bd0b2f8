/* fetch.c - the libgit2 side of a mirror fetch; see fetch.h. Runs alone in its process. */
#include "importer/fetch.h"

#include "importer/giterr.h"

#include <git2.h>
#include <string.h>
#include <time.h>

typedef struct {
    FILE *report;
    int64_t max_bytes;
    int too_big;
    struct timespec last;
} fetch_t;

static int
on_transfer(const git_indexer_progress *st, void *payload)
{
    fetch_t *f = payload;
    if ((int64_t)st->received_bytes > f->max_bytes) {
        f->too_big = 1;
        return -1;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - f->last.tv_sec) * 1000 + (now.tv_nsec - f->last.tv_nsec) / 1000000;
    int done = st->total_objects > 0 && st->indexed_objects == st->total_objects;
    if (ms >= 100 || done) {
        f->last = now;
        fprintf(f->report, "progress %u %u %u %zu\n", st->received_objects, st->total_objects,
                st->indexed_objects, st->received_bytes);
        fflush(f->report);
    }
    return 0;
}

/* What kind of failure libgit2's message describes, for the parent's error code. */
static const char *
classify(const char *msg)
{
    static const char *const notfound[] = {
        "not found", "404", "not exported", "access denied", "authentication", "does not appear"};
    for (size_t i = 0; i < sizeof(notfound) / sizeof(notfound[0]); i++)
        if (strstr(msg, notfound[i]) != NULL)
            return "notfound";
    return "io";
}

static int
fail(fetch_t *f, const char *code, const char *what)
{
    const char *msg = lg_git_message();
    if (code == NULL)
        code = f->too_big ? "toobig" : classify(msg);
    if (f->too_big)
        fprintf(f->report, "error toobig the download passed %lld bytes\n", (long long)f->max_bytes);
    else
        fprintf(f->report, "error %s %s: %s\n", code, what, msg);
    fflush(f->report);
    return -1;
}

static int
open_mirror(git_repository **repo, git_remote **remote, const char *gitdir, const char *url, int create)
{
    if (create) {
        if (git_repository_init(repo, gitdir, 1) != 0)
            return -1;
        if (git_remote_create_with_fetchspec(remote, *repo, "origin", url, "+refs/heads/*:refs/heads/*") != 0)
            return -1;
        git_remote_free(*remote);
        *remote = NULL;
        if (git_remote_add_fetch(*repo, "origin", "+refs/tags/*:refs/tags/*") != 0)
            return -1;
    } else if (git_repository_open_bare(repo, gitdir) != 0) {
        return -1;
    } else if (git_remote_set_url(*repo, "origin", url) != 0) {
        return -1;
    }
    return git_remote_lookup(remote, *repo, "origin");
}

/* One connection: the default branch from the advertisement, then the download, tips and prune. */
static int
fetch(fetch_t *f, git_remote *remote, git_buf *head)
{
    git_remote_callbacks cbs;
    git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
    cbs.transfer_progress = on_transfer;
    cbs.payload = f;
    git_remote_connect_options copts;
    git_remote_connect_options_init(&copts, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
    copts.callbacks = cbs;
    copts.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
    if (git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &copts) != 0)
        return fail(f, NULL, "cannot reach the repository");
    int rc = git_remote_default_branch(head, remote);
    if (rc == GIT_ENOTFOUND)
        return fail(f, "empty", "the repository has no default branch (it is empty)");
    if (rc != 0)
        return fail(f, NULL, "cannot read the repository's default branch");
    git_fetch_options fopts;
    git_fetch_options_init(&fopts, GIT_FETCH_OPTIONS_VERSION);
    fopts.callbacks = cbs;
    fopts.prune = GIT_FETCH_PRUNE;
    fopts.update_fetchhead = 0;
    fopts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
    fopts.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
    if (git_remote_download(remote, NULL, &fopts) != 0)
        return fail(f, NULL, "fetch failed");
    if (git_remote_update_tips(remote, &cbs, 0, GIT_REMOTE_DOWNLOAD_TAGS_ALL, "labgate: fetch") != 0)
        return fail(f, NULL, "cannot update the mirror's refs");
    if (git_remote_prune(remote, &cbs) != 0)
        return fail(f, NULL, "cannot prune the mirror's refs");
    git_remote_disconnect(remote);
    return 0;
}

int
lg_fetch_run(const char *gitdir, const char *url, int create, int64_t max_bytes, FILE *report)
{
    fetch_t f = {.report = report, .max_bytes = max_bytes};
    clock_gettime(CLOCK_MONOTONIC, &f.last);
    git_repository *repo = NULL;
    git_remote *remote = NULL;
    git_buf head = GIT_BUF_INIT;
    int rc = -1;
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    if (open_mirror(&repo, &remote, gitdir, url, create) != 0) {
        fail(&f, "io", "cannot open the mirror");
        goto out;
    }
    if (fetch(&f, remote, &head) != 0)
        goto out;
    if (git_repository_set_head(repo, head.ptr) != 0 || git_repository_head_unborn(repo) != 0) {
        fail(&f, "empty", "the repository's default branch has no commits");
        goto out;
    }
    fprintf(report, "head %s\n", head.ptr);
    fflush(report);
    rc = 0;
out:
    git_buf_dispose(&head);
    git_remote_free(remote);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
