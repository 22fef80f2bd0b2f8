/* utf8.h - strict UTF-8: validation, decoding and encoding (no overlongs, no surrogates, nothing past
 * U+10FFFF). */
#ifndef LG_UTF8_H
#define LG_UTF8_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s[*pos] (n is the length of s) and advances *pos past it.
 * Returns the code point, or -1 for an invalid or truncated sequence (then *pos moves by one byte). */
int32_t lg_utf8_next(const char *s, size_t n, size_t *pos);

/* 1 when s[0..n) is well-formed UTF-8, 0 otherwise. */
int lg_utf8_valid(const char *s, size_t n);

/* Appends the UTF-8 encoding of code point cp (<= 0x10FFFF, not a surrogate) to out; returns bytes written (0
 * if invalid). */
size_t lg_utf8_encode(uint32_t cp, char out[4]);

/* Appends s[0..n) with every invalid or truncated sequence replaced by U+FFFD, so the result is
 * well-formed. */
void lg_utf8_append_valid(lg_buf_t *out, const char *s, size_t n);

#endif
