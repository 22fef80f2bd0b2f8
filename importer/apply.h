/* apply.h - bringing a folder of the project to a snapshot without losing the user's work. Per file,
 * against the manifest of the previous import:
 *   absent, never imported            -> created
 *   absent, imported before           -> restored (the user deleted it)
 *   same content as incoming          -> unchanged (nothing written)
 *   as labgate last wrote it          -> updated
 *   anything else (the user's)        -> kept; incoming written beside as STEM.upstream-COMMIT7.EXT
 * Planning reads only; writing lands every file by temp, sync, rename (then syncs the folders).
 * Internal to the importer. */
#ifndef LG_APPLY_H
#define LG_APPLY_H

#include "core/err.h"
#include "core/strlist.h"
#include "importer/importer.h"
#include "importer/manifest.h"
#include "importer/snapshot.h"

typedef enum { LG_ACT_UNCHANGED, LG_ACT_CREATE, LG_ACT_RESTORE, LG_ACT_UPDATE, LG_ACT_KEEP } lg_act_t;

typedef struct {
    lg_act_t act;
    char *beside;     /* LG_ACT_KEEP: the beside path (inside the folder), NULL when it cannot be named */
    int write_beside; /* the beside file is absent and will be written */
} lg_step_t;

typedef struct {
    int project;
    char *folder;
    const lg_snapshot_t *snap;
    lg_step_t *steps; /* one per snapshot entry */
} lg_apply_t;

/* Decides every file's fate by looking at the project (never following links). Fails with LG_ESTATE
 * when the project has a file or link where a folder must go; writes nothing. */
int lg_apply_plan(lg_apply_t *out, int project, const char *folder, const lg_snapshot_t *snap,
                  const lg_manifest_t *manifest, const char *commit_hex, lg_err_t *err);

/* Writes what the plan says, blobs from repo. A failure removes its temporary files; files already
 * renamed into place stay (each is whole). */
int lg_apply_write(lg_apply_t *a, git_repository *repo, lg_import_progress_fn progress, void *ctx,
                   lg_err_t *err);

/* Records in the manifest what the folder now holds from upstream, and fills the result's lists. */
void lg_apply_finish(const lg_apply_t *a, lg_manifest_t *manifest, lg_import_result_t *result);

void lg_apply_free(lg_apply_t *a);

#endif
