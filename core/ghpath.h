/* ghpath.h - which file and folder paths inside a repository a link may name. */
#ifndef LG_GHPATH_H
#define LG_GHPATH_H

#include <stddef.h>

#define LG_GHPATH_MAX         4096
#define LG_GHPATH_SEGMENT_MAX 255

/* NULL when path[0..len) is acceptable, otherwise a short static phrase saying why not ("it contains a
 * \"..\" part"). Acceptable: strict UTF-8, no control characters (U+0000..U+001F, U+007F..U+009F) or
 * backslashes, '/'-separated parts that are non-empty, not "." or "..", not ".git" in any letter case, at
 * most LG_GHPATH_SEGMENT_MAX bytes each and LG_GHPATH_MAX in all. The path is relative: it may not start
 * (or end) with '/'. Invisible and bidi characters (U+202E, ...) are allowed, as on GitHub: show paths
 * with lg_escape_visible (escape.h). */
const char *lg_ghpath_check(const char *path, size_t len);

/* 1 when lg_ghpath_check accepts path[0..len), 0 otherwise. */
int lg_ghpath_valid(const char *path, size_t len);

#endif
