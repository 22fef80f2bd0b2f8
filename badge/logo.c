/* logo.c - the Jupyter mark from simple-icons 16.37.0 (CC0-1.0, https://simpleicons.org, brand colour
 * #F37626, drawn after https://github.com/jupyter/design), embedded as shields.io does it. */
#include "logo.h"

#include <string.h>

static const char jupyter_path[] =
    "M7.157 22.201A1.784 1.799 0 0 1 5.374 24a1.784 1.799 0 0 1-1.784-1.799 1.784 1.799 0 0 1 1.784-1.799 "
    "1.784 1.799 0 0 1 1.783 1.799zM20.582 1.427a1.415 1.427 0 0 1-1.415 1.428 1.415 1.427 0 0 1-1.416-1.428A"
    "1.415 1.427 0 0 1 19.167 0a1.415 1.427 0 0 1 1.415 1.427zM4.992 3.336A1.047 1.056 0 0 1 3.946 "
    "4.39a1.047 "
    "1.056 0 0 1-1.047-1.055A1.047 1.056 0 0 1 3.946 2.28a1.047 1.056 0 0 1 1.046 1.056zm7.336 1.517c3.769 0 "
    "7.06 1.38 8.768 3.424a9.363 9.363 0 0 0-3.393-4.547 9.238 9.238 0 0 0-5.377-1.728A9.238 9.238 0 0 0 "
    "6.95 "
    "3.73a9.363 9.363 0 0 0-3.394 4.547c1.713-2.04 5.004-3.424 8.772-3.424zm.001 13.295c-3.768 0-7.06-1.381-"
    "8.768-3.425a9.363 9.363 0 0 0 3.394 4.547A9.238 9.238 0 0 0 12.33 21a9.238 9.238 0 0 0 5.377-1.729 "
    "9.363 "
    "9.363 0 0 0 3.393-4.547c-1.712 2.044-5.003 3.425-8.772 3.425Z";

static void
base64(lg_buf_t *out, const unsigned char *p, size_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    lg_buf_reserve(out, (n + 2) / 3 * 4);
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char quad[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63],
                        alphabet[v & 63]};
        if (i + 1 >= n)
            quad[2] = '=';
        if (i + 2 >= n)
            quad[3] = '=';
        lg_buf_append(out, quad, 4);
    }
}

int
lg_logo_from_name(const char *s, size_t n, lg_logo_t *out)
{
    if (n == 4 && memcmp(s, "none", 4) == 0)
        *out = LG_LOGO_NONE;
    else if (n == 7 && memcmp(s, "jupyter", 7) == 0)
        *out = LG_LOGO_JUPYTER;
    else
        return -1;
    return 0;
}

const char *
lg_logo_name(lg_logo_t logo)
{
    return logo == LG_LOGO_JUPYTER ? "jupyter" : "none";
}

void
lg_logo_data_uri(lg_buf_t *out, lg_logo_t logo, int brand_color)
{
    lg_buf_t svg = LG_BUF_INIT;

    if (logo != LG_LOGO_JUPYTER)
        return;
    lg_buf_printf(&svg,
                  "<svg fill=\"%s\" role=\"img\" viewBox=\"0 0 24 24\" xmlns=\"http://www.w3.org/2000/svg\">"
                  "<title>Jupyter</title><path d=\"%s\"/></svg>",
                  brand_color ? "#F37626" : "whitesmoke", jupyter_path);
    lg_buf_puts(out, "data:image/svg+xml;base64,");
    base64(out, (const unsigned char *)svg.data, svg.len);
    lg_buf_free(&svg);
}
