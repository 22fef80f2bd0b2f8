/* pathparts.c - the parts of a '/'-separated name, one check each. */
#include "pathparts.h"

#include <string.h>

const char *
lg_pathparts_check(const char *s, size_t n, lg_pathparts_check_fn check)
{
    const char *why;
    for (size_t start = 0; start <= n;) {
        const char *slash = start < n ? memchr(s + start, '/', n - start) : NULL;
        size_t end = slash ? (size_t)(slash - s) : n;
        if ((why = check(s + start, end - start)) != NULL)
            return why;
        start = end + 1;
    }
    return NULL;
}
