/* fuzz_badge.c - fuzzes badge parameters: the input is a query string (name=value&...), decoded and
 * applied with lg_badge_opts_set, then rendered; the SVG must be well-formed enough to serve. */
#include "badge/badge.h"
#include "core/urlenc.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
apply(lg_badge_opts_t *o, const char *q, size_t n)
{
    const char *name, *value;
    size_t name_len, value_len, pos = 0;
    lg_buf_t dname = LG_BUF_INIT, dvalue = LG_BUF_INIT;

    while (lg_query_next(q, n, &pos, &name, &name_len, &value, &value_len)) {
        lg_buf_reset(&dname);
        lg_buf_reset(&dvalue);
        if (lg_url_decode(&dname, name, name_len, 1, NULL) != 0 ||
            lg_url_decode(&dvalue, value, value_len, 1, NULL) != 0)
            continue;
        lg_badge_opts_t before;
        memcpy(&before, o, sizeof(before));
        lg_err_t err = {LG_OK, ""};
        int rc = lg_badge_opts_set(o, lg_buf_str(&dname), dname.len, lg_buf_str(&dvalue), dvalue.len, &err);
        if (rc < 0 && (err.code != LG_EINVAL || err.msg[0] == '\0' || memcmp(&before, o, sizeof(*o)) != 0))
            abort(); /* a refusal must explain itself and leave the options alone */
    }
    lg_buf_free(&dname);
    lg_buf_free(&dvalue);
}

/* Outside tags only escaped user text may appear: no raw '<' or '>' in text or in attribute values. */
static void
check_svg(const char *s, size_t n)
{
    int in_tag = 0, in_quote = 0;

    if (n < 11 || strncmp(s, "<svg ", 5) != 0 || strcmp(s + n - 6, "</svg>") != 0 || !lg_utf8_valid(s, n))
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20)
            abort(); /* no control characters at all, not even new lines */
        if (in_quote) {
            if (c == '"')
                in_quote = 0;
            else if (c == '<' || c == '>')
                abort();
        } else if (in_tag) {
            if (c == '"')
                in_quote = 1;
            else if (c == '>')
                in_tag = 0;
            else if (c == '<')
                abort();
        } else if (c == '<') {
            in_tag = 1;
        } else if (c == '>') {
            abort();
        }
    }
    if (in_tag || in_quote)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_badge_opts_t o;
    lg_buf_t svg = LG_BUF_INIT;

    lg_badge_opts_init(&o);
    apply(&o, (const char *)data, size);
    lg_badge_render(&svg, &o);
    check_svg(lg_buf_str(&svg), svg.len);
    lg_buf_free(&svg);
    return 0;
}
