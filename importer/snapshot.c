/* snapshot.c - the files an import will write, checked; see snapshot.h. */
#include "importer/snapshot.h"

#include "core/buf.h"
#include "core/escape.h"
#include "core/mem.h"
#include "importer/giterr.h"
#include "importer/safename.h"

#include <stdlib.h>
#include <string.h>

#define LFS_PREFIX   "version https://git-lfs.github.com/spec/v1\n"
#define LFS_MAX_SIZE 1024
#define LINK_MAX     4096

typedef struct {
    lg_snapshot_t *snap;
    git_repository *repo;
    git_odb *odb;
    const char *prefix; /* the walked folder, "" or "dir/" */
    const lg_snapshot_limits_t *limits;
    lg_err_t *err;
} walk_t;

static int
refuse(lg_err_t *err, lg_errcode_t code, const char *path, const char *why)
{
    lg_buf_t shown = LG_BUF_INIT;
    lg_escape_visible(&shown, path, strlen(path));
    lg_err_set(err, code, "refused: \"%.100s\" in the repository: %s", lg_buf_str(&shown), why);
    lg_buf_free(&shown);
    return -1;
}

static int
is_lfs_pointer(git_repository *repo, const git_oid *id, size_t size)
{
    if (size >= LFS_MAX_SIZE || size < sizeof(LFS_PREFIX) - 1)
        return 0;
    git_blob *blob = NULL;
    int yes = 0;
    if (git_blob_lookup(&blob, repo, id) == 0)
        yes = memcmp(git_blob_rawcontent(blob), LFS_PREFIX, sizeof(LFS_PREFIX) - 1) == 0;
    git_blob_free(blob);
    return yes;
}

static void
add_entry(lg_snapshot_t *s, const char *path, const git_oid *id, lg_entry_kind_t kind)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->entries = lg_xrealloc(s->entries, s->cap * sizeof(*s->entries));
    }
    lg_entry_t *e = &s->entries[s->n++];
    e->path = lg_xstrdup(path);
    git_oid_cpy(&e->id, id);
    e->kind = kind;
}

/* A symbolic link: written when it stays inside, skipped when it leaves, refused when git forbids it. */
static int
add_link(walk_t *w, const char *path, const char *name, const git_oid *id, size_t size)
{
    if (lg_safename_is_git_meta(name, strlen(name)))
        return refuse(w->err, LG_EINVAL, path,
                      "it is a symbolic link, which git itself refuses for this name");
    git_blob *blob = NULL;
    int inside = 0;
    if (size <= LINK_MAX && git_blob_lookup(&blob, w->repo, id) == 0)
        inside = lg_safename_link_inside(path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
    git_blob_free(blob);
    if (inside)
        add_entry(w->snap, path, id, LG_ENTRY_LINK);
    else
        lg_strlist_add(&w->snap->skipped, path);
    return 0;
}

static int
add_blob(walk_t *w, const char *path, const char *name, const git_tree_entry *entry)
{
    const git_oid *id = git_tree_entry_id(entry);
    size_t size;
    git_object_t type;
    if (git_odb_read_header(&size, &type, w->odb, id) != 0 || type != GIT_OBJECT_BLOB)
        return lg_err_set(w->err, LG_EIO, "the mirror lacks an object of \"%.100s\"; try again", path);
    if ((int64_t)size > w->limits->max_file_bytes)
        return refuse(w->err, LG_ETOOBIG, path, "it is larger than max_file_bytes");
    if ((int64_t)w->snap->n >= w->limits->max_files)
        return lg_err_set(w->err, LG_ETOOBIG, "refused: the import has more than %lld files (max_files)",
                          (long long)w->limits->max_files);
    git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode == GIT_FILEMODE_LINK)
        return add_link(w, path, name, id, size);
    if (is_lfs_pointer(w->repo, id, size))
        lg_strlist_add(&w->snap->lfs, path);
    w->snap->bytes += size;
    if ((int64_t)w->snap->bytes > w->limits->max_total_bytes)
        return lg_err_set(w->err, LG_ETOOBIG,
                          "refused: the import's files add up to more than %lld bytes (max_repo_bytes)",
                          (long long)w->limits->max_total_bytes);
    add_entry(w->snap, path, id, mode == GIT_FILEMODE_BLOB_EXECUTABLE ? LG_ENTRY_EXEC : LG_ENTRY_FILE);
    return 0;
}

static int
on_entry(const char *root, const git_tree_entry *entry, void *payload)
{
    walk_t *w = payload;
    const char *name = git_tree_entry_name(entry);
    lg_buf_t path = LG_BUF_INIT;
    lg_buf_printf(&path, "%s%s%s", w->prefix, root, name);
    const char *why = lg_safename_check(name, strlen(name));
    int rc = 0;
    if (why != NULL) {
        rc = refuse(w->err, LG_EINVAL, lg_buf_str(&path), why);
    } else if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
        rc = 0;
    } else if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
        rc = add_blob(w, lg_buf_str(&path), name, entry);
    } else {
        lg_strlist_add(&w->snap->skipped, lg_buf_str(&path)); /* a submodule */
    }
    lg_buf_free(&path);
    return rc == 0 ? 0 : -1;
}

/* Folder first, then name: the files of one folder end up next to each other. */
static int
compare_entries(const void *a, const void *b)
{
    const char *pa = ((const lg_entry_t *)a)->path, *pb = ((const lg_entry_t *)b)->path;
    const char *sa = strrchr(pa, '/'), *sb = strrchr(pb, '/');
    size_t da = sa ? (size_t)(sa - pa) : 0, db = sb ? (size_t)(sb - pb) : 0;
    int c = memcmp(pa, pb, da < db ? da : db);
    if (c != 0 || da != db)
        return c != 0 ? c : (da < db ? -1 : 1);
    return strcmp(pa + da, pb + db);
}

size_t
lg_snapshot_find(const lg_snapshot_t *s, const char *path)
{
    lg_entry_t key = {.path = (char *)path};
    const lg_entry_t *e = bsearch(&key, s->entries, s->n, sizeof(*s->entries), compare_entries);
    return e ? (size_t)(e - s->entries) : s->n;
}

/* A tree a fetch did not check may name one path twice, or hold a file "a" beside files under "a/". */
static int
check_unique(const lg_snapshot_t *s, lg_err_t *err)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *path = s->entries[i].path;
        if (i > 0 && strcmp(path, s->entries[i - 1].path) == 0)
            return refuse(err, LG_EINVAL, path, "it appears twice in one folder");
        for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
            char *parent = lg_xstrndup(path, (size_t)(slash - path));
            size_t at = lg_snapshot_find(s, parent);
            free(parent);
            if (at < s->n)
                return refuse(err, LG_EINVAL, s->entries[at].path, "it is both a file and a folder");
        }
    }
    return 0;
}

/* The one linked file. */
static int
take_file(walk_t *w, git_tree *root, const char *path)
{
    git_tree_entry *entry = NULL;
    int rc = -1;
    if (git_tree_entry_bypath(&entry, root, path) != 0)
        return lg_err_set(w->err, LG_ENOTFOUND, "\"%.100s\" is not in the commit", path);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
        refuse(w->err, LG_EINVAL, path, "it is a symbolic link; import the whole repository instead");
    else if (add_blob(w, path, name, entry) == 0 && w->snap->lfs.n > 0)
        refuse(w->err, LG_EINVAL, path,
               "it is stored with Git LFS: the repository holds only a pointer to it, which labgate does not "
               "follow");
    else if (w->snap->n == 1)
        rc = 0;
    git_tree_entry_free(entry);
    return rc;
}

int
lg_snapshot_take(lg_snapshot_t *out, git_repository *repo, const lg_resolved_t *res,
                 const lg_snapshot_limits_t *limits, lg_err_t *err)
{
    memset(out, 0, sizeof(*out));
    git_commit *commit = NULL;
    git_tree *root = NULL, *sub = NULL;
    lg_buf_t prefix = LG_BUF_INIT;
    walk_t w = {.snap = out, .repo = repo, .limits = limits, .err = err};
    int rc = -1;
    const char *why = res->path[0] ? lg_safename_check(res->path, strlen(res->path)) : NULL;
    if (why != NULL) {
        refuse(err, LG_EINVAL, res->path, why);
        goto out;
    }
    if (git_repository_odb(&w.odb, repo) != 0 || git_commit_lookup(&commit, repo, &res->commit) != 0 ||
        git_commit_tree(&root, commit) != 0) {
        lg_err_set(err, LG_EIO, "cannot read the commit from the mirror; try again");
        goto out;
    }
    if (!res->is_tree) {
        rc = take_file(&w, root, res->path);
        goto out;
    }
    git_tree_entry *entry = NULL;
    if (res->path[0] != '\0') {
        if (git_tree_entry_bypath(&entry, root, res->path) != 0 ||
            git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) != 0) {
            git_tree_entry_free(entry);
            lg_err_set(err, LG_ENOTFOUND, "\"%.100s\" is not a folder in the commit", res->path);
            goto out;
        }
        git_tree_entry_free(entry);
        lg_buf_printf(&prefix, "%s/", res->path);
    }
    w.prefix = lg_buf_str(&prefix);
    err->code = LG_OK;
    if (git_tree_walk(sub ? sub : root, GIT_TREEWALK_PRE, on_entry, &w) != 0) {
        if (err->code == LG_OK) /* libgit2's own failure, not a refusal of ours */
            lg_git_fail(err, "cannot read the repository's files from the mirror");
        goto out;
    }
    qsort(out->entries, out->n, sizeof(*out->entries), compare_entries);
    if (check_unique(out, err) != 0)
        goto out;
    lg_strlist_sort(&out->skipped);
    lg_strlist_sort(&out->lfs);
    rc = 0;
out:
    if (rc != 0)
        lg_snapshot_free(out);
    lg_buf_free(&prefix);
    git_tree_free(sub);
    git_tree_free(root);
    git_commit_free(commit);
    git_odb_free(w.odb);
    return rc;
}

void
lg_snapshot_free(lg_snapshot_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->entries[i].path);
    free(s->entries);
    lg_strlist_free(&s->skipped);
    lg_strlist_free(&s->lfs);
    memset(s, 0, sizeof(*s));
}

void
lg_snapshot_environment(const char **dir, lg_strlist_t *files, git_repository *repo, const git_oid *commit)
{
    /* repo2docker's configuration files. */
    static const char *const known[] = {
        "environment.yml", "environment.yaml", "requirements.txt", "Pipfile",
        "Pipfile.lock",    "pyproject.toml",   "setup.py",         "install.R",
        "DESCRIPTION",     "Project.toml",     "apt.txt",          "postBuild",
        "start",           "runtime.txt",      "default.nix",      "Dockerfile"};
    git_commit *c = NULL;
    git_tree *root = NULL;
    git_tree_entry *entry = NULL;
    *dir = "";
    if (git_commit_lookup(&c, repo, commit) != 0 || git_commit_tree(&root, c) != 0)
        goto out;
    static const char *const dirs[] = {"binder", ".binder"};
    for (size_t i = 0; i < 2 && (*dir)[0] == '\0'; i++) {
        if (git_tree_entry_bypath(&entry, root, dirs[i]) == 0 &&
            git_tree_entry_type(entry) == GIT_OBJECT_TREE)
            *dir = dirs[i];
        git_tree_entry_free(entry);
        entry = NULL;
    }
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        lg_buf_t p = LG_BUF_INIT;
        lg_buf_printf(&p, "%s%s%s", *dir, (*dir)[0] ? "/" : "", known[i]);
        if (git_tree_entry_bypath(&entry, root, lg_buf_str(&p)) == 0 &&
            git_tree_entry_type(entry) == GIT_OBJECT_BLOB)
            lg_strlist_add(files, known[i]);
        git_tree_entry_free(entry);
        entry = NULL;
        lg_buf_free(&p);
    }
out:
    git_tree_free(root);
    git_commit_free(c);
}
