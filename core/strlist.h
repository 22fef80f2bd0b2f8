/* strlist.h - a growable list of owned strings. */
#ifndef LG_STRLIST_H
#define LG_STRLIST_H

#include <stddef.h>

typedef struct {
    char **items;
    size_t n, cap;
} lg_strlist_t;

/* clang-format off */
#define LG_STRLIST_INIT {NULL, 0, 0}
/* clang-format on */

/* Appends a copy of s. */
void lg_strlist_add(lg_strlist_t *l, const char *s);
/* Sorts by byte order (strcmp). */
void lg_strlist_sort(lg_strlist_t *l);
void lg_strlist_free(lg_strlist_t *l);

#endif
