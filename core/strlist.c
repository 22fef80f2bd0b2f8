/* strlist.c - a growable list of owned strings. */
#include "strlist.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

void
lg_strlist_add(lg_strlist_t *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = lg_xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    l->items[l->n++] = lg_xstrdup(s);
}

static int
compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void
lg_strlist_sort(lg_strlist_t *l)
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof(*l->items), compare);
}

void
lg_strlist_free(lg_strlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
