/* escape.h - escaping text for the markup labgate writes (HTML, XML/SVG). */
#ifndef LG_ESCAPE_H
#define LG_ESCAPE_H

#include "buf.h"

#include <stddef.h>

/* Appends s[0..n) to out with & < > " ' replaced by entities; safe in element content and quoted attributes
 * of both HTML and XML. Control characters other than tab, newline and carriage return are dropped, since
 * XML 1.0 cannot carry them. */
void lg_escape_xml(lg_buf_t *out, const char *s, size_t n);
void lg_escape_xml_str(lg_buf_t *out, const char *s);

#endif
