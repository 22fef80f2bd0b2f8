/* unicode.h - what kind of character a code point is, as far as labgate cares: control characters, and
 * the characters that do not show as themselves (controls, invisible, bidi and format characters). This is
 * the one list behind the checks on paths and refs (ghpath.h, refname.h), names shown on pages
 * (lg_escape_visible in escape.h), the quotes in error messages (ghlink.c) and log lines (log.c). */
#ifndef LG_UNICODE_H
#define LG_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* Room for the longest text lg_unicode_escape_next writes ("\U000E0041") and its NUL. */
#define LG_UNICODE_ESCAPE_MAX 12

/* 1 for a control character (general category Cc: U+0000..U+001F, U+007F..U+009F), 0 otherwise. */
int lg_unicode_is_control(int32_t cp);

/* 1 for a code point a page must not show raw, because it shows nothing or changes how its neighbours
 * show: controls (Cc), format characters (Cf: bidi embeddings, overrides and isolates, zero-width
 * characters, the byte order mark, Arabic number signs, tags), the line and paragraph separators (Zl, Zp),
 * the other default-ignorable code points (variation selectors, Hangul fillers, combining grapheme
 * joiner) and the noncharacters. Ordinary letters, marks and spaces (including no-break spaces) show. */
int lg_unicode_is_hidden(int32_t cp);

/* 1 when the UTF-8 text s[0..n) holds a control character; sequences that are not UTF-8 are skipped, so
 * validate first. */
int lg_unicode_has_control(const char *s, size_t n);

/* Decodes the character at s[*pos] (n is the length of s) and moves *pos past it. When it cannot be shown
 * as it is, writes into out the NUL-terminated text that shows it instead and returns that text's length:
 * "\u202E" (four upper-case hex digits; "\U000E0041", eight, past U+FFFF) for a hidden code point, "\xFF"
 * for a byte that is not UTF-8, and "\\" for a backslash, so the other forms are never ambiguous. Returns 0
 * when s[old *pos .. *pos) can be shown raw. */
size_t lg_unicode_escape_next(char out[LG_UNICODE_ESCAPE_MAX], const char *s, size_t n, size_t *pos);

#endif
