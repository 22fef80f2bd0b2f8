/* mem.h - allocation that cannot fail: on exhaustion the process aborts with a message. */
#ifndef LG_MEM_H
#define LG_MEM_H

#include <stddef.h>

void *lg_xmalloc(size_t n);
void *lg_xcalloc(size_t count, size_t size);
void *lg_xrealloc(void *p, size_t n);
char *lg_xstrdup(const char *s);
char *lg_xstrndup(const char *s, size_t n);

#endif
