/* workcopy.c - the git working copy of the `repo` mode; see workcopy.h. */
#include "importer/workcopy.h"

#include "core/buf.h"
#include "importer/fsutil.h"
#include "importer/project.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
git_fail(lg_err_t *err, const char *what)
{
    const git_error *e = git_error_last();
    return lg_err_set(err, LG_EIO, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

/* The commit a reference points at, or zero when it does not exist. */
static void
ref_commit(git_oid *out, git_repository *repo, const char *name)
{
    git_object *obj = NULL;
    git_reference *ref = NULL;
    memset(out, 0, sizeof(*out));
    if (git_reference_lookup(&ref, repo, name) == 0 && git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0)
        git_oid_cpy(out, git_object_id(obj));
    git_object_free(obj);
    git_reference_free(ref);
}

/* 1 when at is zero (absent), the commit labgate imported last, or the one it imports now. */
static int
ours(const git_oid *at, const lg_workcopy_t *w, const lg_manifest_t *manifest)
{
    git_oid last;
    const char *hex = lg_manifest_get(manifest, "commit");
    return git_oid_is_zero(at) || git_oid_equal(at, w->commit) ||
           (hex != NULL && git_oid_fromstr(&last, hex) == 0 && git_oid_equal(at, &last));
}

static __thread char planted_link[4096]; /* the first link nftw met, for the message */

static int
find_link(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (type != FTW_SL)
        return 0;
    snprintf(planted_link, sizeof(planted_link), "%s", path);
    return 1;
}

/* libgit2 writes inside .git by path (index, refs, config, objects): a link anywhere in it would take
 * those writes elsewhere, so there must be none. */
static int
check_no_links(const char *target, lg_err_t *err)
{
    lg_buf_t gitdir = LG_BUF_INIT;
    lg_buf_printf(&gitdir, "%s/.git", target);
    planted_link[0] = '\0';
    int rc = nftw(gitdir.data, find_link, 16, FTW_PHYS);
    if (rc == 1)
        lg_err_set(err, LG_ESTATE,
                   "%.200s is a symbolic link; labgate will not write through it: move it away",
                   planted_link + strlen(target) + 1);
    else if (rc != 0)
        lg_err_set(err, LG_EIO, "cannot inspect %s: %s", gitdir.data, strerror(errno));
    lg_buf_free(&gitdir);
    return rc == 0 ? 0 : -1;
}

int
lg_workcopy_check(const lg_workcopy_t *w, int root, const char *folder, const lg_manifest_t *manifest,
                  lg_err_t *err)
{
    lg_buf_t gitdir = LG_BUF_INIT;
    lg_buf_printf(&gitdir, "%s/.git", folder);
    errno = 0;
    int fd = lg_project_opendir(root, gitdir.data, gitdir.len, 0, err);
    lg_buf_free(&gitdir);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    close(fd);
    if (check_no_links(w->target, err) != 0)
        return -1;
    git_repository *repo = NULL;
    if (git_repository_open_ext(&repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return lg_err_set(err, LG_ESTATE, "%s holds a .git folder labgate cannot open; move it away",
                          w->target);
    git_oid head, branch;
    ref_commit(&head, repo, "HEAD");
    memset(&branch, 0, sizeof(branch));
    if (w->branch != NULL) {
        lg_buf_t name = LG_BUF_INIT;
        lg_buf_printf(&name, "refs/heads/%s", w->branch);
        ref_commit(&branch, repo, lg_buf_str(&name));
        lg_buf_free(&name);
    }
    int rc = 0;
    if (!ours(&head, w, manifest) || !ours(&branch, w, manifest))
        rc = lg_err_set(err, LG_ESTATE,
                        "%s has commits or a checkout labgate did not make; update it with git (git pull) or "
                        "move it away, then import again",
                        w->target);
    git_repository_free(repo);
    return rc;
}

/* The clone made a local branch for upstream's default branch, at upstream's tip: not a commit labgate
 * imported. Only the branch set_head makes may exist, or the next import would take it for the user's. */
static int
drop_local_branches(git_repository *repo)
{
    git_branch_iterator *it = NULL;
    git_reference *ref = NULL;
    git_branch_t type;
    int rc = git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL);
    while (rc == 0 && git_branch_next(&ref, &type, it) == 0) {
        rc = git_reference_delete(ref);
        git_reference_free(ref);
    }
    git_branch_iterator_free(it);
    return rc;
}

/* A new .git: a bare clone of the mirror, objects hard-linked as `git clone --local` does, then turned
 * into a working copy's. Sharing the inodes gives no one more than they had: pack files are read-only,
 * and whoever may change them (their owner) may change the mirror itself. */
static int
create(git_repository **repo, const lg_workcopy_t *w, lg_err_t *err)
{
    lg_buf_t tmp = LG_BUF_INIT, final = LG_BUF_INIT;
    lg_buf_printf(&tmp, "%s/.git.labgate-new", w->target);
    lg_buf_printf(&final, "%s/.git", w->target);
    lg_fs_remove_tree(lg_buf_str(&tmp));
    git_clone_options o;
    git_clone_options_init(&o, GIT_CLONE_OPTIONS_VERSION);
    o.bare = 1;
    o.local = GIT_CLONE_LOCAL;
    o.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;
    git_repository *bare = NULL;
    git_config *cfg = NULL;
    int rc = -1;
    if (git_clone(&bare, w->mirror, lg_buf_str(&tmp), &o) != 0)
        git_fail(err, "cannot copy the repository from the mirror");
    else if (drop_local_branches(bare) != 0 || git_remote_set_url(bare, "origin", w->origin) != 0 ||
             git_repository_config(&cfg, bare) != 0 || git_config_set_bool(cfg, "core.bare", 0) != 0)
        git_fail(err, "cannot configure the working copy");
    else if (rename(lg_buf_str(&tmp), lg_buf_str(&final)) != 0)
        lg_err_set(err, LG_EIO, "cannot put .git in place in %s: %s", w->target, strerror(errno));
    else if (git_repository_open_ext(repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        git_fail(err, "cannot open the new working copy");
    else
        rc = 0;
    git_config_free(cfg);
    git_repository_free(bare);
    if (rc != 0)
        lg_fs_remove_tree(lg_buf_str(&tmp));
    lg_buf_free(&tmp);
    lg_buf_free(&final);
    return rc;
}

/* An existing .git: the new objects and refs from the mirror, over the local transport. */
static int
refresh(git_repository **repo, const lg_workcopy_t *w, lg_err_t *err)
{
    git_remote *remote = NULL;
    char *specs[] = {"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"};
    git_strarray refspecs = {specs, 2};
    git_fetch_options fo;
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    fo.update_fetchhead = 0;
    fo.prune = GIT_FETCH_NO_PRUNE;
    int rc = 0;
    if (git_repository_open_ext(repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        rc = git_fail(err, "cannot open the working copy");
    else if (git_remote_create_anonymous(&remote, *repo, w->mirror) != 0 ||
             git_remote_fetch(remote, &refspecs, &fo, "labgate: import") != 0)
        rc = git_fail(err, "cannot bring the new commit into the working copy");
    git_remote_free(remote);
    return rc;
}

static int
set_head(git_repository *repo, const lg_workcopy_t *w, lg_err_t *err)
{
    git_commit *commit = NULL;
    git_reference *ref = NULL;
    int rc = 0;
    if (git_commit_lookup(&commit, repo, w->commit) != 0) {
        rc = git_fail(err, "the working copy lacks the commit");
    } else if (w->branch == NULL) {
        if (git_repository_set_head_detached(repo, w->commit) != 0)
            rc = git_fail(err, "cannot check out the commit");
    } else {
        /* Not git_branch_create: it refuses to move the branch HEAD is on, which is the point here. */
        lg_buf_t name = LG_BUF_INIT, upstream = LG_BUF_INIT;
        lg_buf_printf(&name, "refs/heads/%s", w->branch);
        lg_buf_printf(&upstream, "origin/%s", w->branch);
        if (git_reference_create(&ref, repo, lg_buf_str(&name), w->commit, 1, "labgate: import") != 0 ||
            git_branch_set_upstream(ref, lg_buf_str(&upstream)) != 0 ||
            git_repository_set_head(repo, git_reference_name(ref)) != 0)
            rc = git_fail(err, "cannot check out the branch");
        lg_buf_free(&name);
        lg_buf_free(&upstream);
    }
    git_reference_free(ref);
    git_commit_free(commit);
    return rc;
}

/* Copies the file's stat data into its index entry, so git sees it unchanged without reading it. */
static void
stat_entry(git_index *index, const char *target, const char *path)
{
    const git_index_entry *e = git_index_get_bypath(index, path, 0);
    lg_buf_t full = LG_BUF_INIT;
    lg_buf_printf(&full, "%s/%s", target, path);
    struct stat st;
    if (e != NULL && lstat(lg_buf_str(&full), &st) == 0) {
        git_index_entry copy = *e;
        copy.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
        copy.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
        copy.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
        copy.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
        copy.dev = (uint32_t)st.st_dev;
        copy.ino = (uint32_t)st.st_ino;
        copy.uid = (uint32_t)st.st_uid;
        copy.gid = (uint32_t)st.st_gid;
        copy.file_size = (uint32_t)st.st_size;
        git_index_add(index, &copy);
    }
    lg_buf_free(&full);
}

/* A file not written (a link that leaves the folder, a submodule) is marked skip-worktree, as a sparse
 * checkout does, so git does not report it deleted. */
static void
skip_entry(git_index *index, const char *path)
{
    const git_index_entry *e = git_index_get_bypath(index, path, 0);
    if (e != NULL) {
        git_index_entry copy = *e;
        copy.flags |= GIT_INDEX_ENTRY_EXTENDED;
        copy.flags_extended |= GIT_INDEX_ENTRY_SKIP_WORKTREE;
        git_index_add(index, &copy);
    }
}

static int
write_index(git_repository *repo, const lg_workcopy_t *w, const lg_apply_t *applied, lg_err_t *err)
{
    git_commit *commit = NULL;
    git_tree *tree = NULL;
    git_index *index = NULL;
    int rc = 0;
    if (git_commit_lookup(&commit, repo, w->commit) != 0 || git_commit_tree(&tree, commit) != 0 ||
        git_repository_index(&index, repo) != 0 || git_index_read_tree(index, tree) != 0) {
        rc = git_fail(err, "cannot build the working copy's index");
    } else {
        for (size_t i = 0; i < applied->snap->n; i++)
            if (applied->steps[i].act != LG_ACT_KEEP)
                stat_entry(index, w->target, applied->snap->entries[i].path);
        for (size_t i = 0; i < applied->snap->skipped.n; i++)
            skip_entry(index, applied->snap->skipped.items[i]);
        if (git_index_write(index) != 0)
            rc = git_fail(err, "cannot write the working copy's index");
    }
    git_index_free(index);
    git_tree_free(tree);
    git_commit_free(commit);
    return rc;
}

int
lg_workcopy_fetch(const lg_workcopy_t *w, lg_err_t *err)
{
    git_repository *repo = NULL;
    lg_buf_t gitdir = LG_BUF_INIT;
    lg_buf_printf(&gitdir, "%s/.git", w->target);
    struct stat st;
    int fresh = lstat(lg_buf_str(&gitdir), &st) != 0;
    lg_buf_free(&gitdir);
    int rc = fresh ? create(&repo, w, err) : refresh(&repo, w, err);
    git_repository_free(repo);
    return rc;
}

int
lg_workcopy_checkout(const lg_workcopy_t *w, const lg_apply_t *applied, lg_err_t *err)
{
    git_repository *repo = NULL;
    int rc = 0;
    if (git_repository_open_ext(&repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        rc = git_fail(err, "cannot open the working copy");
    if (rc == 0)
        rc = set_head(repo, w, err);
    if (rc == 0)
        rc = write_index(repo, w, applied, err);
    git_repository_free(repo);
    return rc;
}
