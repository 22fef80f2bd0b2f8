/* fuzz_escape.c - fuzzes core/escape.c and the classification in core/unicode.c: whatever the input,
 * lg_escape_visible writes valid UTF-8 with no hidden character and no raw markup, and lg_escape_xml no
 * raw markup and no control character XML 1.0 cannot carry. */
#include "core/escape.h"

#include "core/unicode.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                                        \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_escape: %s:%d: %s\n", __FILE__, __LINE__, #cond);                          \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static void
check_visible(const char *s, size_t n)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_escape_visible(&out, s, n);
    const char *o = lg_buf_str(&out);
    REQUIRE(strlen(o) == out.len);
    REQUIRE(lg_utf8_valid(o, out.len));
    REQUIRE(strpbrk(o, "<>\"'") == NULL);
    for (size_t pos = 0; pos < out.len;)
        REQUIRE(!lg_unicode_is_hidden(lg_utf8_next(o, out.len, &pos)));
    /* text with nothing to escape comes out as it went in */
    int plain = lg_utf8_valid(s, n);
    for (size_t pos = 0; plain && pos < n;) {
        int32_t cp = lg_utf8_next(s, n, &pos);
        plain = !lg_unicode_is_hidden(cp) && (cp >= 0x80 || strchr("<>&\"'\\", (int)cp) == NULL);
    }
    if (plain)
        REQUIRE(out.len == n && memcmp(o, s, n) == 0);
    lg_buf_free(&out);
}

static void
check_xml(const char *s, size_t n)
{
    lg_buf_t out = LG_BUF_INIT;
    lg_escape_xml(&out, s, n);
    for (size_t i = 0; i < out.len; i++) {
        unsigned char c = (unsigned char)out.data[i];
        REQUIRE(c != '<' && c != '>' && c != '"' && c != '\'');
        REQUIRE(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
        REQUIRE(c != 0x7F);
    }
    lg_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_visible((const char *)data, size);
    check_xml((const char *)data, size);
    return 0;
}
