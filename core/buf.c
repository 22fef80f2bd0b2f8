/* buf.c - the growable byte buffer. */
#include "buf.h"

#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lg_buf_reserve(lg_buf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = lg_xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';
}

void
lg_buf_append(lg_buf_t *b, const void *p, size_t n)
{
    lg_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
lg_buf_puts(lg_buf_t *b, const char *s)
{
    lg_buf_append(b, s, strlen(s));
}

void
lg_buf_putc(lg_buf_t *b, char c)
{
    lg_buf_append(b, &c, 1);
}

void
lg_buf_vprintf(lg_buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    lg_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void
lg_buf_printf(lg_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lg_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void
lg_buf_reset(lg_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *
lg_buf_detach(lg_buf_t *b)
{
    char *s = b->data ? b->data : lg_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void
lg_buf_free(lg_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

const char *
lg_buf_str(const lg_buf_t *b)
{
    return b->data ? b->data : "";
}
