/* badge_dump.c - renders badges for compare.mjs: each stdin line is a query string
 * (style=flat&label=a%20b&...), applied with lg_badge_opts_set over lg_badge_opts_init's defaults; each
 * output line is the SVG, or "error: <message>" when a parameter was refused.
 * With --logo-uri STYLE it prints the logo data URI that style embeds instead. */
#include "badge/badge.h"
#include "core/buf.h"
#include "core/urlenc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Applies every name=value pair of the query q to o; -1 with err filled on the first refusal. */
static int
apply_query(lg_badge_opts_t *o, const char *q, size_t n, lg_err_t *err)
{
    const char *name, *value;
    size_t name_len, value_len, pos = 0;
    lg_buf_t dname = LG_BUF_INIT, dvalue = LG_BUF_INIT;
    int rc = 0;

    while (rc == 0 && lg_query_next(q, n, &pos, &name, &name_len, &value, &value_len)) {
        lg_buf_reset(&dname);
        lg_buf_reset(&dvalue);
        rc = lg_url_decode(&dname, name, name_len, 1, err);
        if (rc == 0)
            rc = lg_url_decode(&dvalue, value, value_len, 1, err);
        if (rc == 0 &&
            lg_badge_opts_set(o, lg_buf_str(&dname), dname.len, lg_buf_str(&dvalue), dvalue.len, err) < 0)
            rc = -1;
    }
    lg_buf_free(&dname);
    lg_buf_free(&dvalue);
    return rc;
}

static int
print_logo_uri(const char *style)
{
    lg_badge_opts_t o;
    lg_buf_t uri = LG_BUF_INIT;
    lg_err_t err;

    lg_badge_opts_init(&o);
    if (lg_badge_opts_set(&o, "style", 5, style, strlen(style), &err) != 0) {
        fprintf(stderr, "badge_dump: %s\n", err.msg);
        return 2;
    }
    lg_logo_data_uri(&uri, o.logo, o.style == LG_BADGE_SOCIAL);
    printf("%s\n", lg_buf_str(&uri));
    lg_buf_free(&uri);
    return 0;
}

int
main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    lg_buf_t svg = LG_BUF_INIT;

    if (argc == 3 && strcmp(argv[1], "--logo-uri") == 0)
        return print_logo_uri(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: badge_dump < queries | badge_dump --logo-uri STYLE\n");
        return 2;
    }
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        lg_badge_opts_t o;
        lg_err_t err;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        lg_badge_opts_init(&o);
        lg_buf_reset(&svg);
        if (apply_query(&o, line, (size_t)len, &err) != 0) {
            printf("error: %s\n", err.msg);
            continue;
        }
        lg_badge_render(&svg, &o);
        printf("%s\n", lg_buf_str(&svg));
    }
    free(line);
    lg_buf_free(&svg);
    return ferror(stdout) ? 1 : 0;
}
