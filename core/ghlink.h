/* ghlink.h - the grammar of GitHub links: one parser for every form of link a user brings (github.com pages,
 * raw files, Colab, nbviewer, git@ and labgate's own /import/github/ paths), and the links rebuilt from it.
 */
#ifndef LG_GHLINK_H
#define LG_GHLINK_H

#include "buf.h"
#include "err.h"
#include "ghname.h"

#include <stddef.h>

#define LG_GHLINK_MAX 8192

typedef enum {
    LG_GHLINK_REPO, /* the whole repository, at its default branch */
    LG_GHLINK_BLOB, /* one file */
    LG_GHLINK_TREE, /* a folder, or the root when path is "" */
} lg_ghlink_kind_t;

/* One reading of "REF/PATH". ref is a valid ref (core/refname.h); path is a valid repository path
 * (core/ghpath.h), or "" for the root of a tree. Both belong to the link: path points into link->rest. */
typedef struct {
    char *ref;
    const char *path;
} lg_ghlink_split_t;

typedef struct {
    lg_ghlink_kind_t kind;
    char owner[LG_GHNAME_OWNER_MAX + 1];
    char repo[LG_GHNAME_REPO_MAX + 1]; /* without ".git" */
    char *rest;     /* decoded "REF/PATH" as given, trailing '/' of a tree dropped; NULL for REPO */
    size_t nsplits; /* at least 1 for BLOB and TREE, 0 for REPO */
    lg_ghlink_split_t *splits; /* candidates, longest ref first: the first whose ref exists wins */
} lg_ghlink_t;

/* Parses a link as a user pastes it: http(s)://[www.]github.com/OWNER/REPO[.git][/], .../blob/REF/PATH,
 * .../raw/REF/PATH, .../tree/REF[/DIR], with or without the scheme;
 * raw.githubusercontent.com/OWNER/REPO/REF/PATH; colab.research.google.com/github/... and
 * nbviewer.org/github/...; git@github.com:OWNER/REPO.git. The query and fragment are ignored; the rest is
 * percent-decoded, then split on '/'. Returns 0 and fills *out, which the caller releases with
 * lg_ghlink_free; or returns -1, leaves *out empty and says in err, for the user, what is wrong and which
 * links are accepted (LG_ETOOBIG past LG_GHLINK_MAX bytes, LG_EINVAL otherwise). */
int lg_ghlink_parse_url(lg_ghlink_t *out, const char *url, size_t len, lg_err_t *err);

/* Parses labgate's own request path "/import/github/OWNER/REPO[/blob|tree/REF/PATH][?query]" as it arrived,
 * not normalized: "." and ".." parts, raw or percent-encoded, are refused, never resolved. As
 * lg_ghlink_parse_url for the result and errors. */
int lg_ghlink_parse_import_path(lg_ghlink_t *out, const char *path, size_t len, lg_err_t *err);

/* 1 when a and b name the same thing: kind, owner, repository and every candidate split. */
int lg_ghlink_equal(const lg_ghlink_t *a, const lg_ghlink_t *b);

/* Releases what a parse filled; *link is left empty. Safe on an empty or failed link. */
void lg_ghlink_free(lg_ghlink_t *link);

/* "repository", "blob" or "tree". */
const char *lg_ghlink_kind_name(lg_ghlink_kind_t kind);

/* Appends the canonical import path, percent-encoded per segment: /import/github/OWNER/REPO[/blob|tree/REST].
 * It parses back (lg_ghlink_parse_import_path) to the same link. */
void lg_ghlink_import_path(lg_buf_t *out, const lg_ghlink_t *link);

/* Appends the page URL on base (e.g. "https://github.com"): BASE/OWNER/REPO[/blob|tree/REST]. */
void lg_ghlink_web_url(lg_buf_t *out, const char *base, const lg_ghlink_t *link);

/* Appends the clone URL, built only from the validated owner and repository: BASE/OWNER/REPO.git. */
void lg_ghlink_clone_url(lg_buf_t *out, const char *base, const lg_ghlink_t *link);

#endif
