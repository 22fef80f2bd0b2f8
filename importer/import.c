/* import.c - one import, start to end: mirror, resolve, check, plan, write, record; see importer.h. */
#include "importer/importer.h"

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/mkdirs.h"
#include "importer/apply.h"
#include "importer/fsutil.h"
#include "importer/manifest.h"
#include "importer/mirror.h"
#include "importer/project.h"
#include "importer/resolve.h"
#include "importer/snapshot.h"
#include "importer/workcopy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <unistd.h>

typedef struct {
    const lg_import_opts_t *opts;
    const lg_import_spec_t *spec;
    lg_import_progress_fn progress;
    void *ctx;
    lg_buf_t mirror, url;
    git_repository *repo;
    lg_resolved_t res;
    lg_snapshot_t snap;
    int projects; /* fd of projects_dir */
    int lock;
    char *folder;  /* the folder's name inside the user's project */
    lg_buf_t dir;  /* USER/FOLDER, relative to projects */
    lg_buf_t mdir; /* USER/.labgate/imports */
    lg_manifest_t manifest;
    lg_apply_t apply;
} import_t;

static int
open_mirror(import_t *im, int force, lg_import_result_t *out, lg_err_t *err)
{
    int fetched = 0;
    git_repository_free(im->repo);
    im->repo = NULL;
    if (lg_mirror_sync(&fetched, im->opts, im->mirror.data, im->url.data, force, im->spec->log_id,
                       im->progress, im->ctx, err) != 0)
        return -1;
    out->fetched |= fetched;
    if (git_repository_open_bare(&im->repo, im->mirror.data) != 0)
        return lg_err_set(err, LG_EIO, "cannot open the mirror %s", im->mirror.data);
    return 0;
}

/* 1 when the mirror already holds the full commit id the link names: a commit never changes, so no
 * fetch is needed however old the mirror is. */
static int
resolve_pinned(import_t *im)
{
    const lg_ghlink_t *link = im->spec->link;
    if (im->spec->refresh || link->kind == LG_GHLINK_REPO ||
        strlen(link->splits[link->nsplits - 1].ref) != 40 ||
        git_repository_open_bare(&im->repo, im->mirror.data) != 0)
        return 0;
    lg_err_t ignored;
    if (lg_resolve(&im->res, im->repo, link, &ignored) == 0 && strcmp(im->res.ref_kind, "commit") == 0 &&
        strlen(im->res.ref) == 40)
        return 1;
    lg_resolved_free(&im->res);
    return 0;
}

/* Resolves the link; a ref or path not found in a mirror that was not fetched just now is looked up
 * again after a fetch (a branch pushed a moment ago). */
static int
resolve(import_t *im, lg_import_result_t *out, lg_err_t *err)
{
    if (resolve_pinned(im))
        return 0;
    if (open_mirror(im, im->spec->refresh, out, err) != 0)
        return -1;
    if (lg_resolve(&im->res, im->repo, im->spec->link, err) == 0)
        return 0;
    if (err->code != LG_ENOTFOUND || out->fetched)
        return -1;
    if (open_mirror(im, 1, out, err) != 0)
        return -1;
    return lg_resolve(&im->res, im->repo, im->spec->link, err);
}

static int
take_snapshot(import_t *im, lg_err_t *err)
{
    lg_snapshot_limits_t limits = {im->opts->max_files, im->opts->max_file_bytes, im->opts->max_repo_bytes};
    if (im->spec->mode == LG_IMPORT_NOTEBOOK)
        return lg_snapshot_take(&im->snap, im->repo, &im->res, &limits, err);
    lg_resolved_t whole = im->res;
    whole.path = "";
    whole.is_tree = 1;
    return lg_snapshot_take(&im->snap, im->repo, &whole, &limits, err);
}

/* One import at a time per user: a lock file in the cache, outside the user's project. */
static int
lock_user(import_t *im, lg_err_t *err)
{
    lg_buf_t dir = LG_BUF_INIT, path = LG_BUF_INIT;
    lg_buf_printf(&dir, "%s/locks/users", im->opts->cache_dir);
    lg_buf_printf(&path, "%s/%s.lock", dir.data, im->spec->user);
    int rc = lg_mkdirs(dir.data, err);
    if (rc == 0)
        rc = lg_fs_lock(&im->lock, path.data, err);
    lg_buf_free(&dir);
    lg_buf_free(&path);
    return rc;
}

/* REPO, unless that folder holds an import of another OWNER/REPO, or REPO starts with a dot (".labgate"
 * is where the manifests live, and hidden folders hide imports): then OWNER-REPO. */
static void
choose_folder(import_t *im)
{
    const lg_ghlink_t *link = im->spec->link;
    lg_manifest_t m;
    lg_manifest_load(&m, im->projects, im->mdir.data, link->repo);
    const char *owner = lg_manifest_get(&m, "owner"), *repo = lg_manifest_get(&m, "repo");
    int other = owner && repo && (strcasecmp(owner, link->owner) != 0 || strcasecmp(repo, link->repo) != 0);
    lg_manifest_free(&m);
    lg_buf_t name = LG_BUF_INIT;
    if (other || link->repo[0] == '.')
        lg_buf_printf(&name, "%s-%s", link->owner, link->repo);
    else
        lg_buf_puts(&name, link->repo);
    im->folder = lg_buf_detach(&name);
    lg_buf_printf(&im->dir, "%s/%s", im->spec->user, im->folder);
}

static int
open_projects(import_t *im, lg_err_t *err)
{
    im->projects = open(im->opts->projects_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (im->projects < 0)
        return lg_err_set(err, LG_EIO, "cannot open %s: %s", im->opts->projects_dir, strerror(errno));
    lg_buf_printf(&im->mdir, "%s/" LG_MANIFEST_DIR, im->spec->user);
    choose_folder(im);
    lg_manifest_load(&im->manifest, im->projects, im->mdir.data, im->folder);
    return 0;
}

static void
fill_result(import_t *im, lg_import_result_t *out)
{
    const lg_ghlink_t *link = im->spec->link;
    out->owner = lg_xstrdup(link->owner);
    out->repo = lg_xstrdup(link->repo);
    out->mode = im->spec->mode;
    out->ref = lg_xstrdup(im->res.ref);
    out->ref_kind = im->res.ref_kind;
    out->branch = im->res.branch ? lg_xstrdup(im->res.branch) : NULL;
    git_oid_tostr(out->commit, sizeof(out->commit), &im->res.commit);
    out->path = lg_xstrdup(im->res.path);
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s/%s", im->opts->projects_dir, im->spec->user);
    out->project_dir = lg_buf_detach(&b);
    lg_buf_printf(&b, "%s/%s", out->project_dir, im->folder);
    out->target_dir = lg_buf_detach(&b);
    lg_buf_printf(&b, "%s%s%s", im->folder, im->res.path[0] ? "/" : "", im->res.path);
    out->open_path = lg_buf_detach(&b);
    for (size_t i = 0; i < im->snap.skipped.n; i++)
        lg_strlist_add(&out->skipped, im->snap.skipped.items[i]);
    for (size_t i = 0; i < im->snap.lfs.n; i++)
        lg_strlist_add(&out->lfs, im->snap.lfs.items[i]);
    const char *env_dir;
    lg_snapshot_environment(&env_dir, &out->env_files, im->repo, &im->res.commit);
    out->env_dir = lg_xstrdup(env_dir);
}

/* The manifest is saved last: its folder must not be blocked (a link or a file), or the files would
 * land and the record of them would not. */
static int
check_manifest_dir(import_t *im, lg_err_t *err)
{
    errno = 0;
    int fd = lg_project_opendir(im->projects, im->mdir.data, im->mdir.len, 0, err);
    if (fd >= 0)
        close(fd);
    return fd >= 0 || errno == ENOENT ? 0 : -1;
}

/* Everything that can refuse the import runs before anything is written. */
static int
check_and_write(import_t *im, lg_import_result_t *out, lg_err_t *err)
{
    lg_workcopy_t wc = {.target = out->target_dir,
                        .mirror = im->mirror.data,
                        .commit = &im->res.commit,
                        .branch = im->res.branch};
    lg_buf_t origin = LG_BUF_INIT;
    lg_ghlink_clone_url(&origin, im->opts->github_url, im->spec->link);
    wc.origin = origin.data;
    int repo_mode = im->spec->mode == LG_IMPORT_REPO;
    int rc = -1;
    if (lg_apply_plan(&im->apply, im->projects, im->dir.data, &im->snap, &im->manifest, out->commit, err) !=
        0)
        goto out;
    if (repo_mode && lg_workcopy_check(&wc, im->projects, im->dir.data, &im->manifest, err) != 0)
        goto out;
    if (check_manifest_dir(im, err) != 0)
        goto out;
    int fd = lg_project_opendir(im->projects, im->dir.data, im->dir.len, 1, err);
    if (fd < 0)
        goto out;
    close(fd);
    if (repo_mode && lg_workcopy_fetch(&wc, err) != 0)
        goto out;
    if (lg_apply_write(&im->apply, im->repo, im->progress, im->ctx, err) != 0)
        goto out;
    if (repo_mode && lg_workcopy_checkout(&wc, &im->apply, err) != 0)
        goto out;
    lg_apply_finish(&im->apply, &im->manifest, out);
    lg_manifest_set(&im->manifest, "owner", im->spec->link->owner);
    lg_manifest_set(&im->manifest, "repo", im->spec->link->repo);
    lg_manifest_set(&im->manifest, "commit", out->commit);
    lg_manifest_set(&im->manifest, "mode", lg_import_mode_name(im->spec->mode));
    if (repo_mode)
        lg_manifest_add_head(&im->manifest, out->commit);
    rc = lg_manifest_save(&im->manifest, im->projects, im->mdir.data, im->folder, err);
out:
    lg_buf_free(&origin);
    return rc;
}

/* dir, created when missing, as an absolute path without links; NULL with err on failure. */
static char *
absolute(const char *dir, lg_err_t *err)
{
    char *abs = NULL;
    if (lg_mkdirs(dir, err) == 0 && (abs = realpath(dir, NULL)) == NULL)
        lg_err_set(err, LG_EIO, "cannot resolve %s: %s", dir, strerror(errno));
    return abs;
}

int
lg_import_run(lg_import_result_t *out, const lg_import_opts_t *given, const lg_import_spec_t *spec,
              lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    memset(out, 0, sizeof(*out));
    lg_err_set(err, LG_OK, "unknown error");
    lg_import_opts_t opts_abs = *given;
    const lg_import_opts_t *opts = &opts_abs;
    char *projects_dir = absolute(given->projects_dir, err);
    char *cache_dir = projects_dir ? absolute(given->cache_dir, err) : NULL;
    if (cache_dir == NULL) {
        free(projects_dir);
        return -1;
    }
    opts_abs.projects_dir = projects_dir;
    opts_abs.cache_dir = cache_dir;
    import_t im = {.opts = opts, .spec = spec, .progress = progress, .ctx = ctx, .projects = -1, .lock = -1};
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    /* Every object was hashed when the fetch indexed it; hashing it again on each read (SHA-1 with
     * collision detection) cost a third of a repository import. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    lg_mirror_path(&im.mirror, opts->cache_dir, opts->github_url, spec->link->owner, spec->link->repo);
    lg_ghlink_clone_url(&im.url, opts->github_url, spec->link);
    int rc = -1;
    if (resolve(&im, out, err) != 0 || take_snapshot(&im, err) != 0)
        goto out;
    if (lock_user(&im, err) != 0 || open_projects(&im, err) != 0)
        goto out;
    fill_result(&im, out);
    rc = check_and_write(&im, out, err);
    if (rc == 0)
        lg_log(LG_LOG_DEBUG, spec->log_id, "import_done", LG_S("repo", im.url.data),
               LG_S("commit", out->commit), LG_S("mode", lg_import_mode_name(spec->mode)),
               LG_I("files", (long long)im.snap.n), LG_I("created", (long long)out->created.n),
               LG_I("updated", (long long)out->updated.n), LG_I("kept", (long long)out->kept.n),
               LG_I("fetched", out->fetched));
out:
    if (rc != 0)
        lg_import_result_free(out);
    lg_apply_free(&im.apply);
    lg_manifest_free(&im.manifest);
    lg_snapshot_free(&im.snap);
    lg_resolved_free(&im.res);
    git_repository_free(im.repo);
    if (im.projects >= 0)
        close(im.projects);
    if (im.lock >= 0)
        close(im.lock);
    free(im.folder);
    lg_buf_free(&im.dir);
    lg_buf_free(&im.mdir);
    lg_buf_free(&im.mirror);
    lg_buf_free(&im.url);
    free(projects_dir);
    free(cache_dir);
    git_libgit2_shutdown();
    return rc;
}

void
lg_import_result_free(lg_import_result_t *r)
{
    char *strings[] = {r->owner,       r->repo,       r->ref,       r->branch, r->path,
                       r->project_dir, r->target_dir, r->open_path, r->env_dir};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free(strings[i]);
    lg_strlist_t *lists[] = {&r->created, &r->updated, &r->restored, &r->unchanged, &r->kept,
                             &r->beside,  &r->skipped, &r->lfs,      &r->env_files};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
        lg_strlist_free(lists[i]);
    memset(r, 0, sizeof(*r));
}

void
lg_import_opts_from_config(lg_import_opts_t *out, const lg_config_t *cfg)
{
    *out = (lg_import_opts_t){.projects_dir = cfg->projects_dir,
                              .cache_dir = cfg->cache_dir,
                              .github_url = cfg->github_url,
                              .fetch_timeout_ms = cfg->fetch_timeout_ms,
                              .mirror_max_age_ms = cfg->mirror_max_age_ms,
                              .max_repo_bytes = cfg->max_repo_bytes,
                              .max_files = cfg->max_files,
                              .max_file_bytes = cfg->max_file_bytes,
                              .mirror_new = cfg->webhook_mirror_new};
}

const char *
lg_import_mode_name(lg_import_mode_t mode)
{
    return mode == LG_IMPORT_REPO ? "repo" : "notebook";
}

int
lg_import_mode_parse(const char *text)
{
    if (strcmp(text, "notebook") == 0)
        return LG_IMPORT_NOTEBOOK;
    if (strcmp(text, "repo") == 0)
        return LG_IMPORT_REPO;
    return -1;
}

void
lg_import_hold(void)
{
    git_libgit2_init();
}

void
lg_import_release(void)
{
    git_libgit2_shutdown();
}

int
lg_import_refresh(const lg_import_opts_t *opts, const lg_ghlink_t *link, int *fetched, const char *log_id,
                  lg_err_t *err)
{
    lg_buf_t path = LG_BUF_INIT, url = LG_BUF_INIT;
    lg_mirror_path(&path, opts->cache_dir, opts->github_url, link->owner, link->repo);
    lg_ghlink_clone_url(&url, opts->github_url, link);
    int rc = 0;
    *fetched = 0;
    if (opts->mirror_new || access(path.data, F_OK) == 0) {
        git_libgit2_init();
        rc = lg_mirror_sync(fetched, opts, path.data, url.data, 1, log_id, NULL, NULL, err);
        git_libgit2_shutdown();
        *fetched = rc == 0; /* by its own fetch, or by one that started after it asked */
    }
    lg_buf_free(&path);
    lg_buf_free(&url);
    return rc;
}

int
lg_import_forget(const lg_import_opts_t *opts, const lg_ghlink_t *link, lg_err_t *err)
{
    lg_buf_t path = LG_BUF_INIT;
    lg_mirror_path(&path, opts->cache_dir, opts->github_url, link->owner, link->repo);
    int rc = lg_mirror_forget(path.data, err);
    lg_buf_free(&path);
    return rc;
}
