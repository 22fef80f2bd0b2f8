/* cmd_badge.c - `labgate badge`: print a badge as SVG, or the README snippet that shows it linking to
 * the import of a GitHub link. */
#include "cmd/cmd.h"

#include "badge/badge.h"
#include "badge/links.h"
#include "core/ghlink.h"
#include "core/urlenc.h"

#include <stdlib.h>
#include <string.h>

/* The command's flags, in the order of badge_params below for the first six. */
enum { F_STYLE, F_LABEL, F_MESSAGE, F_COLOR, F_LABEL_COLOR, F_LOGO, F_FORMAT, F_URL, F_END };
static const char *const badge_params[] = {"style", "label", "message", "color", "labelColor", "logo"};

static int
apply_flags(lg_badge_opts_t *opts, const lg_flag_t *flags, lg_buf_t *query)
{
    lg_badge_opts_init(opts);
    for (int i = F_STYLE; i <= F_LOGO; i++) {
        const char *v = flags[i].value;
        if (v == NULL)
            continue;
        lg_err_t err;
        const char *name = badge_params[i];
        if (lg_badge_opts_set(opts, name, strlen(name), v, strlen(v), &err) != 0) {
            fprintf(stderr, "labgate badge: %s\n", err.msg);
            return -1;
        }
        lg_buf_printf(query, "%s%s=", query->len ? "&" : "", name);
        lg_url_encode(query, v, strlen(v));
    }
    return 0;
}

static int
print_snippet(const char *format, const char *url, const char *public_url, const char *query)
{
    if (url == NULL || public_url[0] == '\0') {
        fprintf(stderr,
                "labgate badge: --format %s needs --url GITHUB_URL and --public-url (where labgate is "
                "served)\n",
                format);
        return LG_EXIT_USAGE;
    }
    lg_ghlink_t link;
    lg_err_t err;
    if (lg_ghlink_parse_url(&link, url, strlen(url), &err) != 0) {
        fprintf(stderr, "labgate badge: %s\n", err.msg);
        return LG_EXIT_USAGE;
    }
    lg_links_t links;
    lg_links_make(&links, public_url, &link, query);
    const struct {
        const char *name, *text;
    } texts[] = {
        {"markdown", links.markdown}, {"html", links.html}, {"rst", links.rst}, {"link", links.import_url}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (strcmp(format, texts[i].name) == 0)
            printf("%s\n", texts[i].text);
    lg_links_free(&links);
    lg_ghlink_free(&link);
    return LG_EXIT_OK;
}

int
lg_cmd_badge(int argc, char **argv)
{
    lg_flag_t flags[F_END + 1] = {
        [F_STYLE] = {"style", 1, "flat (default), flat-square, plastic, for-the-badge or social.", NULL},
        [F_LABEL] = {"label", 1, "Left-hand text (default \"Open in\").", NULL},
        [F_MESSAGE] = {"message", 1, "Right-hand text (default \"labgate\").", NULL},
        [F_COLOR] = {"color", 1, "Right-hand colour: a name (blue), hex (f37626) or CSS colour.", NULL},
        [F_LABEL_COLOR] = {"label-color", 1, "Left-hand colour, as --color.", NULL},
        [F_LOGO] = {"logo", 1, "jupyter (default) or none.", NULL},
        [F_FORMAT] = {"format", 1, "svg (default), markdown, html, rst, or link (the import link).", NULL},
        [F_URL] = {"url", 1, "The GitHub link to import, for the snippet formats.", NULL},
        [F_END] = {NULL, 0, NULL, NULL},
    };
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(
            stdout, "labgate badge [--style S] [--label L] ... [--format F --url GITHUB_URL]",
            "Print the badge /badge.svg serves for the same parameters, or the snippet that puts it\n"
            "in a README, linking to the import of --url.",
            flags, LG_CMD_BADGE);
        return LG_EXIT_OK;
    }
    lg_config_t cfg;
    if (lg_cmd_setup(&cfg, "badge", LG_CMD_BADGE, &argc, argv, flags) != 0)
        return LG_EXIT_USAGE;
    lg_badge_opts_t opts;
    lg_buf_t query = LG_BUF_INIT, svg = LG_BUF_INIT;
    const char *format = flags[F_FORMAT].value ? flags[F_FORMAT].value : "svg";
    int rc = LG_EXIT_USAGE;
    if (argc > 0) {
        fprintf(stderr, "labgate badge: unexpected argument \"%s\"\n", argv[0]);
    } else if (apply_flags(&opts, flags, &query) != 0) {
        /* reported */
    } else if (strcmp(format, "svg") == 0) {
        lg_badge_render(&svg, &opts);
        printf("%s\n", lg_buf_str(&svg));
        rc = LG_EXIT_OK;
    } else if (strcmp(format, "markdown") == 0 || strcmp(format, "html") == 0 || strcmp(format, "rst") == 0 ||
               strcmp(format, "link") == 0) {
        rc = print_snippet(format, flags[F_URL].value, cfg.public_url, lg_buf_str(&query));
    } else {
        fprintf(stderr, "labgate badge: --format: use svg, markdown, html, rst or link\n");
    }
    lg_buf_free(&query);
    lg_buf_free(&svg);
    lg_config_free(&cfg);
    return rc;
}
