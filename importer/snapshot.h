/* snapshot.h - what an import will write: the files of the tree (or the one file) at the resolved commit
 * and path, each checked against the rules for hostile repositories (safename.h) and the limits.
 * Internal to the importer. */
#ifndef LG_SNAPSHOT_H
#define LG_SNAPSHOT_H

#include "core/err.h"
#include "core/strlist.h"
#include "importer/resolve.h"

#include <git2.h>
#include <stdint.h>

typedef enum { LG_ENTRY_FILE, LG_ENTRY_EXEC, LG_ENTRY_LINK } lg_entry_kind_t;

typedef struct {
    char *path; /* inside the repository */
    git_oid id;
    lg_entry_kind_t kind;
} lg_entry_t;

typedef struct {
    lg_entry_t *entries; /* sorted by folder, then name */
    size_t n, cap;
    uint64_t bytes;
    lg_strlist_t skipped; /* symbolic links that leave the repository folder, submodules */
    lg_strlist_t lfs;     /* Git LFS pointer files, written as they are */
} lg_snapshot_t;

typedef struct {
    int64_t max_files;
    int64_t max_file_bytes;
    int64_t max_total_bytes;
} lg_snapshot_limits_t;

/* Lists what res names in repo. Refuses the whole snapshot (LG_EINVAL, naming the file) for a path part
 * that spells ".git", control characters or invalid UTF-8 in a name, a symbolic link named like git's
 * own files (.gitmodules, ...), two entries at one path or a file where a folder's files go (trees a
 * fetch does not check), a linked file that is a Git LFS pointer or a symbolic link; LG_ETOOBIG past
 * the limits (max_total_bytes: the sum of the files' sizes). */
int lg_snapshot_take(lg_snapshot_t *out, git_repository *repo, const lg_resolved_t *res,
                     const lg_snapshot_limits_t *limits, lg_err_t *err);

void lg_snapshot_free(lg_snapshot_t *s);

/* The index of the entry at path, or s->n when there is none. */
size_t lg_snapshot_find(const lg_snapshot_t *s, const char *path);

/* Where the commit keeps its environment: *dir is "binder" or ".binder" when such a folder exists (then
 * only it counts, as on Binder), else ""; files lists the known environment files found there. */
void lg_snapshot_environment(const char **dir, lg_strlist_t *files, git_repository *repo,
                             const git_oid *commit);

#endif
