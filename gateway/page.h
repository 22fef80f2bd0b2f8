/* page.h - the shared frame of labgate's HTML pages: head, header, footer, and the error page. */
#ifndef LG_PAGE_H
#define LG_PAGE_H

#include "core/buf.h"

/* Appends the document head and opening of <main>; title is escaped. */
void lg_page_begin(lg_buf_t *out, const char *title);
/* Closes <main> and the document. */
void lg_page_end(lg_buf_t *out);
/* A whole page saying what went wrong (message is escaped) with a way back to the start. */
void lg_page_error(lg_buf_t *out, int status, const char *message);

#endif
