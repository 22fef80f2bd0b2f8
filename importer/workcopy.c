/* workcopy.c - the git working copy of the `repo` mode; see workcopy.h. */
#include "importer/workcopy.h"

#include "core/buf.h"
#include "importer/fsutil.h"
#include "importer/giterr.h"
#include "importer/project.h"
#include "importer/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when a reference at `at` is labgate's doing: absent (zero), the commit imported now, or one an
 * earlier import put on HEAD. */
static int
ours(const git_oid *at, const lg_workcopy_t *w, const lg_manifest_t *manifest)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), at);
    return git_oid_is_zero(at) || git_oid_equal(at, w->commit) || lg_manifest_has_head(manifest, hex);
}

static __thread char planted[4096]; /* what nftw found, for the message */

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
find_planted(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    const char *name = path + ftw->base;
    int redirect = (ftw->level == 1 && (strcmp(name, "commondir") == 0 || strcmp(name, "gitdir") == 0)) ||
                   (ftw->level == 3 && ends_with(path, "/objects/info/alternates"));
    if (type != FTW_SL && !redirect)
        return 0;
    snprintf(planted, sizeof(planted), "%s", path);
    return type == FTW_SL ? 1 : 2;
}

/* libgit2 writes inside .git by path (index, refs, config, objects), and follows commondir and
 * objects/info/alternates to other repositories: a link or such a file anywhere in it would take those
 * writes (or reads) elsewhere, so there must be none. */
static int
check_gitdir(const char *target, lg_err_t *err)
{
    lg_buf_t gitdir = LG_BUF_INIT;
    lg_buf_printf(&gitdir, "%s/.git", target);
    planted[0] = '\0';
    int rc = nftw(gitdir.data, find_planted, 16, FTW_PHYS);
    const char *shown = rc > 0 ? planted + strlen(target) + 1 : "";
    if (rc == 1)
        lg_err_set(err, LG_ESTATE,
                   "%.200s is a symbolic link; labgate will not write through it: move it away", shown);
    else if (rc == 2)
        lg_err_set(err, LG_ESTATE,
                   "%.200s points git at another repository; labgate will not write there: remove it", shown);
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
    if (check_gitdir(w->target, err) != 0)
        return -1;
    git_repository *repo = NULL;
    if (git_repository_open_ext(&repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return lg_err_set(err, LG_ESTATE, "%s holds a .git folder labgate cannot open; move it away",
                          w->target);
    git_oid head, branch;
    lg_resolve_ref_commit(&head, repo, "HEAD");
    memset(&branch, 0, sizeof(branch));
    if (w->branch != NULL) {
        lg_buf_t name = LG_BUF_INIT;
        lg_buf_printf(&name, "refs/heads/%s", w->branch);
        lg_resolve_ref_commit(&branch, repo, name.data);
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
create(const lg_workcopy_t *w, lg_err_t *err)
{
    lg_buf_t tmp = LG_BUF_INIT, final = LG_BUF_INIT;
    lg_buf_printf(&tmp, "%s/.git.labgate-new", w->target);
    lg_buf_printf(&final, "%s/.git", w->target);
    lg_fs_remove_tree(tmp.data);
    git_clone_options o;
    git_clone_options_init(&o, GIT_CLONE_OPTIONS_VERSION);
    o.bare = 1;
    o.local = GIT_CLONE_LOCAL;
    o.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;
    git_repository *bare = NULL;
    git_config *cfg = NULL;
    int rc = -1;
    if (git_clone(&bare, w->mirror, tmp.data, &o) != 0)
        lg_git_fail(err, "cannot copy the repository from the mirror");
    else if (drop_local_branches(bare) != 0 || git_remote_set_url(bare, "origin", w->origin) != 0 ||
             git_repository_config(&cfg, bare) != 0 || git_config_set_bool(cfg, "core.bare", 0) != 0)
        lg_git_fail(err, "cannot configure the working copy");
    else if (rename(tmp.data, final.data) != 0)
        lg_err_set(err, LG_EIO, "cannot put .git in place in %s: %s", w->target, strerror(errno));
    else
        rc = 0;
    git_config_free(cfg);
    git_repository_free(bare);
    if (rc != 0)
        lg_fs_remove_tree(tmp.data);
    lg_buf_free(&tmp);
    lg_buf_free(&final);
    return rc;
}

/* Creates refs/tags/X from refs/labgate/tags/X when the user has no such tag; never moves theirs. */
static int
add_missing_tag(const char *name, void *payload)
{
    git_repository *repo = payload;
    git_oid id;
    git_reference *made = NULL;
    lg_buf_t tag = LG_BUF_INIT;
    lg_buf_printf(&tag, "refs/tags/%s", name + strlen("refs/labgate/tags/"));
    if (git_reference_name_to_id(&id, repo, name) == 0 &&
        git_reference_create(&made, repo, tag.data, &id, 0, "labgate: import") == 0)
        git_reference_free(made);
    lg_buf_free(&tag);
    return 0;
}

/* The new objects and refs from the mirror, over the local transport: branches as origin's, tags into
 * labgate's own namespace (then only the missing ones as tags). An origin the user removed comes back. */
static int
refresh(const lg_workcopy_t *w, lg_err_t *err)
{
    git_repository *repo = NULL;
    git_remote *remote = NULL;
    char *specs[] = {"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/labgate/tags/*"};
    git_strarray refspecs = {specs, 2};
    git_fetch_options fo;
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    fo.update_fetchhead = 0;
    fo.prune = GIT_FETCH_NO_PRUNE;
    fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    int rc = 0;
    if (git_repository_open_ext(&repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
        rc = lg_git_fail(err, "cannot open the working copy");
    } else if (git_remote_lookup(&remote, repo, "origin") != 0) {
        if (git_remote_create(&remote, repo, "origin", w->origin) != 0)
            rc = lg_git_fail(err, "cannot add origin to the working copy");
    }
    git_remote_free(remote);
    remote = NULL;
    if (rc == 0 && (git_remote_create_anonymous(&remote, repo, w->mirror) != 0 ||
                    git_remote_fetch(remote, &refspecs, &fo, "labgate: import") != 0))
        rc = lg_git_fail(err, "cannot bring the new commit into the working copy");
    if (rc == 0)
        git_reference_foreach_glob(repo, "refs/labgate/tags/*", add_missing_tag, repo);
    git_remote_free(remote);
    git_repository_free(repo);
    return rc;
}

int
lg_workcopy_fetch(const lg_workcopy_t *w, lg_err_t *err)
{
    lg_buf_t gitdir = LG_BUF_INIT;
    lg_buf_printf(&gitdir, "%s/.git", w->target);
    struct stat st;
    int fresh = lstat(gitdir.data, &st) != 0;
    lg_buf_free(&gitdir);
    if (!fresh)
        return refresh(w, err);
    if (create(w, err) != 0)
        return -1;
    /* The clone holds every object of the mirror; the commit is missing only if the mirror moved on
     * (pruned) since this import resolved it. */
    git_repository *repo = NULL;
    git_odb *odb = NULL;
    int present = git_repository_open_ext(&repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
                  git_repository_odb(&odb, repo) == 0 && git_odb_exists(odb, w->commit);
    git_odb_free(odb);
    git_repository_free(repo);
    return present ? 0 : refresh(w, err);
}

static int
set_head(git_repository *repo, const lg_workcopy_t *w, lg_err_t *err)
{
    if (w->branch == NULL)
        return git_repository_set_head_detached(repo, w->commit) == 0
                   ? 0
                   : lg_git_fail(err, "cannot check out the commit");
    /* Not git_branch_create: it refuses to move the branch HEAD is on, which is the point here. */
    git_reference *ref = NULL;
    lg_buf_t name = LG_BUF_INIT, upstream = LG_BUF_INIT;
    lg_buf_printf(&name, "refs/heads/%s", w->branch);
    lg_buf_printf(&upstream, "origin/%s", w->branch);
    int rc = 0;
    if (git_reference_create(&ref, repo, name.data, w->commit, 1, "labgate: import") != 0 ||
        git_branch_set_upstream(ref, upstream.data) != 0 || git_repository_set_head(repo, name.data) != 0)
        rc = lg_git_fail(err, "cannot check out the branch");
    git_reference_free(ref);
    lg_buf_free(&name);
    lg_buf_free(&upstream);
    return rc;
}

/* Copies the file's stat data into e, so git sees it unchanged without reading it. */
static void
fill_stat(git_index_entry *e, const char *target)
{
    lg_buf_t full = LG_BUF_INIT;
    lg_buf_printf(&full, "%s/%s", target, e->path);
    struct stat st;
    if (lstat(full.data, &st) == 0) {
        e->ctime.seconds = (int32_t)st.st_ctim.tv_sec;
        e->ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
        e->mtime.seconds = (int32_t)st.st_mtim.tv_sec;
        e->mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
        e->dev = (uint32_t)st.st_dev;
        e->ino = (uint32_t)st.st_ino;
        e->uid = (uint32_t)st.st_uid;
        e->gid = (uint32_t)st.st_gid;
        e->file_size = (uint32_t)st.st_size;
    }
    lg_buf_free(&full);
}

/* The step apply took for path, or NULL when it wrote nothing there (a link that leaves the folder,
 * a submodule). */
static const lg_step_t *
step_of(const lg_apply_t *applied, const char *path)
{
    const lg_snapshot_t *snap = applied->snap;
    size_t i = lg_snapshot_find(snap, path);
    return i < snap->n ? &applied->steps[i] : NULL;
}

static int
same_id(const git_index_entry *e, const git_oid *id)
{
    return e != NULL && git_oid_equal(&e->id, id);
}

/* One entry of the new commit's tree into the user's index: as upstream (with stat data when the file on
 * disk is upstream's), unless the user staged something of their own there. */
static void
merge_entry(git_index *index, const git_index_entry *incoming, const git_index_entry *before,
            const lg_apply_t *applied, const char *target)
{
    const git_index_entry *current = git_index_get_bypath(index, incoming->path, 0);
    const lg_step_t *step = step_of(applied, incoming->path);
    git_index_entry e = *incoming;
    if (step == NULL) {
        e.flags |= GIT_INDEX_ENTRY_EXTENDED;
        e.flags_extended |= GIT_INDEX_ENTRY_SKIP_WORKTREE; /* as a sparse checkout: not reported deleted */
    } else if (step->act != LG_ACT_KEEP) {
        fill_stat(&e, target);
    } else if (current != NULL && !same_id(current, &incoming->id) &&
               !(before && same_id(current, &before->id))) {
        return; /* the user staged their own version */
    }
    git_index_add(index, &e);
}

/* The user's index moved from the old HEAD's tree to the new one, keeping what they staged. */
static int
merge_index(git_repository *repo, const lg_workcopy_t *w, const lg_apply_t *applied, lg_err_t *err)
{
    git_commit *commit = NULL, *old_commit = NULL;
    git_tree *tree = NULL, *old_tree = NULL;
    git_index *index = NULL, *fresh = NULL, *old = NULL;
    git_oid old_id;
    int rc = -1;
    if (git_commit_lookup(&commit, repo, w->commit) != 0 || git_commit_tree(&tree, commit) != 0 ||
        git_repository_index(&index, repo) != 0 || git_index_new(&fresh) != 0 || git_index_new(&old) != 0 ||
        git_index_read_tree(fresh, tree) != 0) {
        lg_git_fail(err, "cannot build the working copy's index");
        goto out;
    }
    if (lg_resolve_ref_commit(&old_id, repo, "HEAD") == 0 &&
        git_commit_lookup(&old_commit, repo, &old_id) == 0 && git_commit_tree(&old_tree, old_commit) == 0)
        git_index_read_tree(old, old_tree);
    for (size_t i = 0; i < git_index_entrycount(fresh); i++) {
        const git_index_entry *e = git_index_get_byindex(fresh, i);
        merge_entry(index, e, git_index_get_bypath(old, e->path, 0), applied, w->target);
    }
    /* Paths the new commit dropped leave the index when the user left them as the old commit had them. */
    for (size_t i = 0; i < git_index_entrycount(old); i++) {
        const git_index_entry *e = git_index_get_byindex(old, i);
        if (git_index_get_bypath(fresh, e->path, 0) == NULL &&
            same_id(git_index_get_bypath(index, e->path, 0), &e->id))
            git_index_remove_bypath(index, e->path);
    }
    rc = git_index_write(index) == 0 ? 0 : lg_git_fail(err, "cannot write the working copy's index");
out:
    git_index_free(old);
    git_index_free(fresh);
    git_index_free(index);
    git_tree_free(old_tree);
    git_tree_free(tree);
    git_commit_free(old_commit);
    git_commit_free(commit);
    return rc;
}

int
lg_workcopy_checkout(const lg_workcopy_t *w, const lg_apply_t *applied, lg_err_t *err)
{
    git_repository *repo = NULL;
    int rc = 0;
    if (git_repository_open_ext(&repo, w->target, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        rc = lg_git_fail(err, "cannot open the working copy");
    if (rc == 0)
        rc = merge_index(repo, w, applied, err); /* while HEAD is still the old commit */
    if (rc == 0)
        rc = set_head(repo, w, err);
    git_repository_free(repo);
    return rc;
}
