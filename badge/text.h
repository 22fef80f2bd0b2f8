/* text.h - the JavaScript string operations badge-maker applies to labels, for UTF-8 text.
 * Input must be valid UTF-8; these are exact for it (see the notes on astral code points below). */
#ifndef LG_BADGE_TEXT_H
#define LG_BADGE_TEXT_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

/* 1 when cp is what String.prototype.trim and the regex \s treat as white space (WhiteSpace and
 * LineTerminator: tab, LF, VT, FF, CR, space, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000, U+FEFF). */
int lg_text_is_space(uint32_t cp);

/* String.prototype.trim: narrows the span *s, *n to drop leading and trailing white space. */
void lg_text_trim(const char **s, size_t *n);

/* String.prototype.length: UTF-16 code units, so a code point above U+FFFF counts 2. */
size_t lg_text_utf16_len(const char *s, size_t n);

/* Appends String.prototype.toUpperCase of s[0..n) to out (full case mapping: "ß" becomes "SS"). */
void lg_text_upper(lg_buf_t *out, const char *s, size_t n);

/* Appends badge-maker's capitalize(): charAt(0).toUpperCase() + slice(1). charAt(0) is a UTF-16 unit,
 * so a first code point above U+FFFF (a lone surrogate to JavaScript) is left as it is. */
void lg_text_capitalize(lg_buf_t *out, const char *s, size_t n);

#endif
