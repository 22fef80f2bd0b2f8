/* escape.h - escaping text for the markup labgate writes (HTML, XML/SVG), and showing untrusted names on
 * pages without invisible or bidi characters. */
#ifndef LG_ESCAPE_H
#define LG_ESCAPE_H

#include "buf.h"

#include <stddef.h>

/* Appends s[0..n) to out with & < > " ' replaced by entities; safe in element content and quoted attributes
 * of both HTML and XML. Control characters other than tab, newline and carriage return are dropped, since
 * XML 1.0 cannot carry them. */
void lg_escape_xml(lg_buf_t *out, const char *s, size_t n);
void lg_escape_xml_str(lg_buf_t *out, const char *s);

/* Appends s[0..n) to out for a person to read, as lg_escape_xml does for & < > " ', and with everything
 * that would not show as itself written as visible text (lg_unicode_escape_next in unicode.h): controls,
 * invisible, bidi and format characters as \u202E (\U000E0041 past U+FFFF), bytes that are not UTF-8 as
 * \xFF, and a backslash as \\ so that those forms are never ambiguous. For owners, repositories, refs and
 * paths on pages: a file "x\u202Ebnypi.exe" cannot pass for "xexe.ipynb". The output is valid UTF-8. */
void lg_escape_visible(lg_buf_t *out, const char *s, size_t n);

#endif
