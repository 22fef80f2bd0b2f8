/* buf.h - a growable byte buffer, always NUL-terminated, for building text (SVG, HTML, logs). */
#ifndef LG_BUF_H
#define LG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} lg_buf_t;

/* clang-format off */
#define LG_BUF_INIT {NULL, 0, 0}
/* clang-format on */

void lg_buf_reserve(lg_buf_t *b, size_t extra);
void lg_buf_append(lg_buf_t *b, const void *p, size_t n);
void lg_buf_puts(lg_buf_t *b, const char *s);
void lg_buf_putc(lg_buf_t *b, char c);
void lg_buf_printf(lg_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lg_buf_vprintf(lg_buf_t *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void lg_buf_reset(lg_buf_t *b);
/* Returns the contents ("" when empty) and leaves b empty; the caller frees the result. */
char *lg_buf_detach(lg_buf_t *b);
void lg_buf_free(lg_buf_t *b);
/* The contents, or "" when nothing was appended; borrowed. */
const char *lg_buf_str(const lg_buf_t *b);

#endif
