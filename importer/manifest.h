/* manifest.h - what labgate imported into one folder of a project, so that the next import can tell the
 * user's changes from its own: the repository, the commit, and the blob id of every file it wrote.
 * Kept in PROJECT/.labgate/imports/FOLDER.json. Internal to the importer. */
#ifndef LG_MANIFEST_H
#define LG_MANIFEST_H

#include "core/err.h"

#include <jansson.h>

typedef struct {
    json_t
        *root; /* {"version": 1, "owner", "repo", "commit", "mode", "files": {PATH: HEX}, "heads": [HEX]} */
    json_t *files; /* borrowed from root */
} lg_manifest_t;

/* Where a project keeps the manifests, relative to the project. */
#define LG_MANIFEST_DIR ".labgate/imports"

/* Loads FOLDER's manifest from folder dir (below root, e.g. "alice/.labgate/imports"); a missing or
 * unreadable one loads empty (then every file that differs counts as the user's: nothing is
 * overwritten). */
void lg_manifest_load(lg_manifest_t *m, int root, const char *dir, const char *folder);

/* The blob id recorded for path, or NULL. */
const char *lg_manifest_file(const lg_manifest_t *m, const char *path);
void lg_manifest_set_file(lg_manifest_t *m, const char *path, const char *hex);

/* A top-level text field ("owner", "repo", "commit", "mode"), or NULL. */
const char *lg_manifest_get(const lg_manifest_t *m, const char *key);
void lg_manifest_set(lg_manifest_t *m, const char *key, const char *value);

/* The commits repo mode put on HEAD (the last 64): a working copy at any of them is labgate's doing. */
int lg_manifest_has_head(const lg_manifest_t *m, const char *hex);
void lg_manifest_add_head(lg_manifest_t *m, const char *hex);

/* Saves atomically (temp, fsync, rename). */
int lg_manifest_save(const lg_manifest_t *m, int root, const char *dir, const char *folder, lg_err_t *err);

void lg_manifest_free(lg_manifest_t *m);

#endif
