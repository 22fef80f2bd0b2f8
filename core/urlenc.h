/* urlenc.h - URL text: percent-decoding and -encoding (RFC 3986), the hexadecimal digits they use, and
 * iterating over application/x-www-form-urlencoded query strings. Functions are named lg_url_<verb>;
 * lg_hex_value and lg_query_next predate that and keep their names, which the gateway uses. */
#ifndef LG_URLENC_H
#define LG_URLENC_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

/* The value of hexadecimal digit c (either case), or -1 when c is not one. */
int lg_hex_value(char c);

/* Appends the percent-decoded s[0..n) to out. With plus_is_space, '+' decodes to ' ' (query strings).
 * A '%' not followed by two hex digits is an error; the decoded bytes may be anything, including NUL:
 * callers validate them. */
int lg_url_decode(lg_buf_t *out, const char *s, size_t n, int plus_is_space, lg_err_t *err);

/* Appends s[0..n) percent-encoded: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex).
 * lg_url_encode_path also keeps '/', for the segments of a path. */
void lg_url_encode(lg_buf_t *out, const char *s, size_t n);
void lg_url_encode_path(lg_buf_t *out, const char *s, size_t n);

/* The encoder behind both: appends s[0..n) with every byte for which keep(c) is 0 written as %XX
 * (upper-case hex), and the others as they are. */
void lg_url_encode_except(lg_buf_t *out, const char *s, size_t n, int (*keep)(unsigned char c));

/* Iterates over name=value pairs of a query string (without the '?'). On each call, returns 1 and sets
 * the raw (still encoded) name and value spans, or returns 0 at the end. *pos starts at 0. */
int lg_query_next(const char *q, size_t n, size_t *pos, const char **name, size_t *name_len,
                  const char **value, size_t *value_len);

#endif
