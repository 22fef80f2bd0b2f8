/* snippet.h - the text a user pastes into a README to show a badge that links somewhere: Markdown,
 * HTML and reStructuredText, each escaped for its format. Arguments are NUL-terminated UTF-8; the URLs
 * are used as given apart from the escaping (the caller builds them, percent-encoded). */
#ifndef LG_BADGE_SNIPPET_H
#define LG_BADGE_SNIPPET_H

#include "core/buf.h"

/* [![alt](img)](link). In the URLs, space, quotes, ( ) < > [ ] \ and bytes outside printable ASCII are
 * percent-encoded; in alt, Markdown punctuation (\ ` * _ [ ] ( ) < > ! & | ~ #) is backslash-escaped and
 * control characters become spaces. */
void lg_snippet_markdown(lg_buf_t *out, const char *img_url, const char *link_url, const char *alt);

/* <a href="link"><img src="img" alt="alt"></a>, every value XML/HTML-escaped (& < > " ') and control
 * characters turned into spaces. */
void lg_snippet_html(lg_buf_t *out, const char *img_url, const char *link_url, const char *alt);

/* .. image:: img
 *    :target: link
 *    :alt: alt
 * In the URLs, white space, backslash, backquote, control and non-ASCII bytes are percent-encoded, and so is
 * a trailing '_' (which reStructuredText would read as a reference name); in alt, control characters become
 * spaces so the text cannot open a new line. */
void lg_snippet_rst(lg_buf_t *out, const char *img_url, const char *link_url, const char *alt);

#endif
