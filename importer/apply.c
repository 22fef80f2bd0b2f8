/* apply.c - writing a snapshot into a project folder, keeping the user's changes; see apply.h. */
#include "importer/apply.h"

#include "core/buf.h"
#include "core/mem.h"
#include "importer/project.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME_MAX_BYTES 255

/* "dir/nb.ipynb" -> "dir/nb.upstream-1a2b3c4.ipynb"; NULL when the name would be too long. */
static char *
beside_name(const char *path, const char *commit_hex)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
        dot = base + strlen(base);
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_append(&b, path, (size_t)(dot - path));
    lg_buf_printf(&b, ".upstream-%.7s%s", commit_hex, dot);
    if (strlen(strrchr(b.data, '/') ? strrchr(b.data, '/') + 1 : b.data) > NAME_MAX_BYTES) {
        lg_buf_free(&b);
        return NULL;
    }
    return lg_buf_detach(&b);
}

/* The folder's part of path, as FOLDER/DIR, into out; returns the base name. */
static const char *
split(lg_buf_t *out, const char *folder, const char *path)
{
    const char *slash = strrchr(path, '/');
    lg_buf_reset(out);
    lg_buf_puts(out, folder);
    if (slash != NULL) {
        lg_buf_putc(out, '/');
        lg_buf_append(out, path, (size_t)(slash - path));
    }
    return slash ? slash + 1 : path;
}

static int
same_kind(lg_disk_kind_t disk, lg_entry_kind_t entry)
{
    static const lg_disk_kind_t match[] = {
        [LG_ENTRY_FILE] = LG_DISK_FILE, [LG_ENTRY_EXEC] = LG_DISK_EXEC, [LG_ENTRY_LINK] = LG_DISK_LINK};
    return disk == match[entry];
}

static int
probe(lg_disk_kind_t *kind, git_oid *id, lg_dircache_t *dc, lg_buf_t *dir, const char *folder,
      const char *path, lg_err_t *err)
{
    const char *name = split(dir, folder, path);
    int fd = lg_dircache_open(dc, dir->data, dir->len, 0, err);
    if (fd < 0 && errno != ENOENT)
        return -1;
    return lg_project_probe(kind, id, fd, name, err);
}

static int
plan_one(lg_step_t *step, const lg_entry_t *e, lg_dircache_t *dc, lg_buf_t *dir, const char *folder,
         const lg_manifest_t *m, const char *commit_hex, lg_err_t *err)
{
    lg_disk_kind_t kind;
    git_oid disk;
    if (probe(&kind, &disk, dc, dir, folder, e->path, err) != 0)
        return -1;
    const char *base = lg_manifest_file(m, e->path);
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), &disk);
    if (kind == LG_DISK_ABSENT) {
        step->act = base ? LG_ACT_RESTORE : LG_ACT_CREATE;
    } else if (same_kind(kind, e->kind) && git_oid_equal(&disk, &e->id)) {
        step->act = LG_ACT_UNCHANGED;
    } else if (kind != LG_DISK_OTHER && base != NULL && strcmp(base, hex) == 0) {
        step->act = LG_ACT_UPDATE;
    } else {
        step->act = LG_ACT_KEEP;
        step->beside = beside_name(e->path, commit_hex);
        if (step->beside == NULL)
            return 0;
        if (probe(&kind, &disk, dc, dir, folder, step->beside, err) != 0)
            return -1;
        if (kind == LG_DISK_ABSENT) {
            step->write_beside = 1;
        } else if (!same_kind(kind, e->kind) || !git_oid_equal(&disk, &e->id)) {
            free(step->beside); /* the user changed that one too: leave both */
            step->beside = NULL;
        }
    }
    return 0;
}

int
lg_apply_plan(lg_apply_t *out, int project, const char *folder, const lg_snapshot_t *snap,
              const lg_manifest_t *manifest, const char *commit_hex, lg_err_t *err)
{
    out->project = project;
    out->folder = lg_xstrdup(folder);
    out->snap = snap;
    out->steps = lg_xcalloc(snap->n ? snap->n : 1, sizeof(*out->steps));
    lg_dircache_t dc;
    lg_dircache_init(&dc, project);
    lg_buf_t dir = LG_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < snap->n && rc == 0; i++)
        rc = plan_one(&out->steps[i], &snap->entries[i], &dc, &dir, folder, manifest, commit_hex, err);
    lg_dircache_close(&dc);
    lg_buf_free(&dir);
    return rc;
}

typedef struct {
    const char *path; /* inside the folder */
    const lg_entry_t *entry;
    char *tmp;
} write_t;

static size_t
collect_writes(const lg_apply_t *a, write_t **out)
{
    size_t n = 0;
    *out = lg_xcalloc(2 * a->snap->n + 1, sizeof(**out));
    for (size_t i = 0; i < a->snap->n; i++) {
        const lg_step_t *s = &a->steps[i];
        const lg_entry_t *e = &a->snap->entries[i];
        if (s->act == LG_ACT_CREATE || s->act == LG_ACT_RESTORE || s->act == LG_ACT_UPDATE)
            (*out)[n++] = (write_t){.path = e->path, .entry = e};
        if (s->act == LG_ACT_KEEP && s->write_beside)
            (*out)[n++] = (write_t){.path = s->beside, .entry = e};
    }
    return n;
}

/* Up to this many files, a fsync per file and per folder; past it, one syncfs costs less. */
#define SYNC_EACH_MAX 64

static int
write_temp(write_t *w, lg_dircache_t *dc, lg_buf_t *dir, const char *folder, git_repository *repo, int sync,
           lg_err_t *err)
{
    split(dir, folder, w->path);
    int entering = !lg_dircache_holds(dc, dir->data, dir->len);
    int fd = lg_dircache_open(dc, dir->data, dir->len, 1, err);
    if (fd < 0)
        return -1;
    if (entering) /* the caller holds the user's import lock: temporary files here are a dead import's */
        lg_project_remove_temps(fd);
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, repo, &w->entry->id) != 0)
        return lg_err_set(err, LG_EIO, "the mirror lacks the content of \"%.100s\"; try again", w->path);
    lg_buf_t tmp = LG_BUF_INIT;
    lg_project_temp_name(&tmp);
    unsigned flags = (w->entry->kind == LG_ENTRY_EXEC ? LG_WRITE_EXEC : 0) |
                     (w->entry->kind == LG_ENTRY_LINK ? LG_WRITE_LINK : 0) | (sync ? LG_WRITE_SYNC : 0);
    int rc = lg_project_write_temp(fd, tmp.data, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
                                   flags, err);
    git_blob_free(blob);
    if (rc == 0)
        w->tmp = lg_buf_detach(&tmp);
    lg_buf_free(&tmp);
    return rc;
}

/* Renames each temporary file into place (rename set) or removes it; with sync, each folder whose
 * entries changed is synced when the walk leaves it. */
static int
finish_temps(write_t *ws, size_t n, lg_dircache_t *dc, lg_buf_t *dir, const char *folder, int rename,
             int sync, lg_err_t *err)
{
    int rc = 0, dirty = 0;
    for (size_t i = 0; i < n; i++) {
        if (ws[i].tmp == NULL)
            continue;
        const char *name = split(dir, folder, ws[i].path);
        if (dirty && !lg_dircache_holds(dc, dir->data, dir->len)) {
            if (fsync(lg_dircache_fd(dc)) != 0 && rc == 0)
                rc = lg_err_set(err, LG_EIO, "cannot sync a folder of your project: %s", strerror(errno));
            dirty = 0;
        }
        int fd = lg_dircache_open(dc, dir->data, dir->len, 0, err);
        if (fd < 0) {
            rc = -1; /* the folder went away under us: its temporary files went with it */
        } else if (!rename || rc != 0) {
            unlinkat(fd, ws[i].tmp, 0);
        } else if (renameat(fd, ws[i].tmp, fd, name) != 0) {
            rc = lg_err_set(err, LG_EIO, "cannot put \"%.100s\" in place: %s", ws[i].path, strerror(errno));
            unlinkat(fd, ws[i].tmp, 0);
        } else {
            dirty = sync;
        }
        free(ws[i].tmp);
        ws[i].tmp = NULL;
    }
    if (dirty && fsync(lg_dircache_fd(dc)) != 0 && rc == 0)
        rc = lg_err_set(err, LG_EIO, "cannot sync a folder of your project: %s", strerror(errno));
    return rc;
}

/* Data reaches the disk before any name points at it, then the names: a fsync per file and folder for
 * a few files, else one syncfs before the renames and one after. */
int
lg_apply_write(lg_apply_t *a, git_repository *repo, lg_import_progress_fn progress, void *ctx, lg_err_t *err)
{
    write_t *ws = NULL;
    size_t n = collect_writes(a, &ws);
    int each = n <= SYNC_EACH_MAX;
    lg_dircache_t dc;
    lg_dircache_init(&dc, a->project);
    lg_buf_t dir = LG_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = write_temp(&ws[i], &dc, &dir, a->folder, repo, each, err);
        if (rc == 0 && progress != NULL) {
            lg_import_progress_t p = {.stage = LG_PROGRESS_WRITE, .files = i + 1, .total_files = n};
            progress(ctx, &p);
        }
    }
    if (rc == 0 && !each && syncfs(a->project) != 0)
        rc = lg_err_set(err, LG_EIO, "cannot sync the project to disk: %s", strerror(errno));
    lg_err_t ignored;
    if (finish_temps(ws, n, &dc, &dir, a->folder, rc == 0, each, rc == 0 ? err : &ignored) != 0)
        rc = -1;
    if (rc == 0 && !each && syncfs(a->project) != 0)
        rc = lg_err_set(err, LG_EIO, "cannot sync the project to disk: %s", strerror(errno));
    lg_dircache_close(&dc);
    lg_buf_free(&dir);
    free(ws);
    return rc;
}

void
lg_apply_finish(const lg_apply_t *a, lg_manifest_t *manifest, lg_import_result_t *r)
{
    static const size_t lists[] = {
        [LG_ACT_UNCHANGED] = offsetof(lg_import_result_t, unchanged),
        [LG_ACT_CREATE] = offsetof(lg_import_result_t, created),
        [LG_ACT_RESTORE] = offsetof(lg_import_result_t, restored),
        [LG_ACT_UPDATE] = offsetof(lg_import_result_t, updated),
        [LG_ACT_KEEP] = offsetof(lg_import_result_t, kept),
    };
    for (size_t i = 0; i < a->snap->n; i++) {
        const lg_step_t *s = &a->steps[i];
        const lg_entry_t *e = &a->snap->entries[i];
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof(hex), &e->id);
        lg_strlist_add((lg_strlist_t *)((char *)r + lists[s->act]), e->path);
        if (s->act != LG_ACT_KEEP) {
            lg_manifest_set_file(manifest, e->path, hex);
        } else if (s->beside != NULL) {
            lg_strlist_add(&r->beside, s->beside);
            lg_manifest_set_file(manifest, s->beside, hex);
        }
    }
    lg_strlist_t *all[] = {&r->unchanged, &r->created, &r->restored, &r->updated, &r->kept, &r->beside};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        lg_strlist_sort(all[i]);
}

void
lg_apply_free(lg_apply_t *a)
{
    for (size_t i = 0; a->steps && i < a->snap->n; i++)
        free(a->steps[i].beside);
    free(a->steps);
    free(a->folder);
    memset(a, 0, sizeof(*a));
}
