/* safename.h - which names from a repository's tree may be written into a project: the rules for paths,
 * for ".git" in all its spellings, and for symbolic links. Repository content is hostile input. */
#ifndef LG_SAFENAME_H
#define LG_SAFENAME_H

#include <stddef.h>

/* NULL when the tree path path[0..len) may be written, otherwise a short static phrase saying why not.
 * Beyond lg_ghpath_check (strict UTF-8, no control characters, no "." or ".." parts, no ".git"), no part
 * may spell ".git" in a way some file system folds to it: letter case, trailing dots or spaces and
 * ":stream" suffixes (NTFS), the short name "git~1" (NTFS 8.3), or ".git" with characters HFS+ ignores
 * (zero-width joiners, bidi marks, U+FEFF). */
const char *lg_safename_check(const char *path, size_t len);

/* 1 when part[0..len) is one of the spellings of ".git" above. */
int lg_safename_is_dotgit(const char *part, size_t len);

/* 1 when a symbolic link at tree path link_path (under the imported folder's root) with target
 * target[0..len) resolves inside that root however the links around it resolve: the target is relative,
 * its parts are non-empty, it has no "." parts, ".." appears only as a leading run no longer than the
 * link's folder depth, and every other part passes the name rules. */
int lg_safename_link_inside(const char *link_path, const char *target, size_t len);

/* 1 for a name git treats specially and refuses as a symbolic link (.gitmodules, .gitattributes,
 * .gitignore, .mailmap, in any letter case). */
int lg_safename_is_git_meta(const char *part, size_t len);

#endif
