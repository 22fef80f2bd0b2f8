/* pathparts.h - walking the '/'-separated parts of a name (a path in a repository, a ref) for the checks
 * that judge each part (ghpath.c, refname.c). */
#ifndef LG_PATHPARTS_H
#define LG_PATHPARTS_H

#include <stddef.h>

/* A check of one part: NULL when part[0..len) is acceptable, otherwise a static phrase saying why not. */
typedef const char *(*lg_pathparts_check_fn)(const char *part, size_t len);

/* Calls check on each '/'-separated part of s[0..n), in order, and returns the first phrase it gives, or
 * NULL when every part passes. Empty parts are checked too: "a//b" and "a/" have one, and so has "". */
const char *lg_pathparts_check(const char *s, size_t n, lg_pathparts_check_fn check);

#endif
