/* workcopy.h - the `repo` import mode: the project folder becomes a real git working copy of the commit
 * (objects from the mirror, origin on the GitHub URL, on the branch when a branch was asked for), so the
 * user can pull later. Files are written by apply.h like any import; this file owns .git and its index.
 * Internal to the importer. */
#ifndef LG_WORKCOPY_H
#define LG_WORKCOPY_H

#include "core/err.h"
#include "importer/apply.h"
#include "importer/manifest.h"

#include <git2.h>

typedef struct {
    const char *target; /* absolute path of the folder */
    const char *mirror; /* absolute path of the bare mirror */
    const char *origin; /* the clone URL users pull from */
    const git_oid *commit;
    const char *branch; /* NULL: detached HEAD at commit */
} lg_workcopy_t;

/* Refuses (LG_ESTATE), before anything is written, a folder whose .git labgate cannot safely move: .git
 * is a link or a file, or HEAD or the branch is at a commit labgate did not put there (the user
 * committed or checked out something else). */
int lg_workcopy_check(const lg_workcopy_t *w, int root, const char *folder, const lg_manifest_t *manifest,
                      lg_err_t *err);

/* Creates .git, or brings the new objects and refs into it, from the mirror; before the files are
 * written, so that a failure here leaves the folder as it was. */
int lg_workcopy_fetch(const lg_workcopy_t *w, lg_err_t *err);

/* After the files are in place: origin, branch and HEAD, and an index whose entries match the files
 * written (so `git status` is clean but for the user's own changes). */
int lg_workcopy_checkout(const lg_workcopy_t *w, const lg_apply_t *applied, lg_err_t *err);

#endif
