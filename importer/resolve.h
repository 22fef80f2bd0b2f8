/* resolve.h - which commit and which path a link means in a mirror: branch, tag (annotated too), full or
 * short commit id, or the default branch; "REF/PATH" splits tried longest ref first, as GitHub does.
 * Internal to the importer. */
#ifndef LG_RESOLVE_H
#define LG_RESOLVE_H

#include "core/err.h"
#include "core/ghlink.h"

#include <git2.h>

typedef struct {
    git_oid commit;
    char *ref;            /* as matched, "" for the default branch */
    const char *ref_kind; /* "branch", "tag", "commit" or "default" */
    char *branch;         /* the branch (the default one for "default"), or NULL */
    char *path;           /* inside the repository, "" for the root */
    int is_tree;          /* path names a folder (or the root) */
} lg_resolved_t;

/* Resolves link in repo (a mirror). Only names that passed core/refname.h reach libgit2, and only as
 * full reference names or hex ids, never as revision expressions. LG_ENOTFOUND when no candidate ref
 * exists or the path is not in the commit; err names what was looked for. */
int lg_resolve(lg_resolved_t *out, git_repository *repo, const lg_ghlink_t *link, lg_err_t *err);

void lg_resolved_free(lg_resolved_t *r);

/* The commit the reference `name` (refs/heads/X, HEAD, ...) peels to: 0, or -1 with *out zeroed when it
 * does not exist. */
int lg_resolve_ref_commit(git_oid *out, git_repository *repo, const char *name);

#endif
