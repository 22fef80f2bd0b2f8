/* test_ghpath.c - tests core/ghpath.c: which paths inside a repository a link may name. */
#include "core/ghpath.h"

#include "tests/unit/check.h"

/* clang-format off */
typedef struct {
    const char *path;
    size_t len; /* 0: strlen(path) */
    const char *why; /* NULL when valid, else a substring of the reason */
} path_case_t;

static const path_case_t cases[] = {
    {"nb.ipynb", 0, NULL},
    {"dir/sub/nb.ipynb", 0, NULL},
    {".github/workflows/ci.yml", 0, NULL},
    {"a..b", 0, NULL},
    {"...", 0, NULL},
    {"my notebook.ipynb", 0, NULL},
    {"what?#%.ipynb", 0, NULL},
    {"caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.ipynb", 0, NULL},
    {".gitignore", 0, NULL},
    {"x.git", 0, NULL},
    {"", 0, "empty"},
    {"/etc/passwd", 0, "starts with '/'"},
    {"a/", 0, "empty part"},
    {"a//b", 0, "empty part"},
    {".", 0, "\"..\" part"},
    {"..", 0, "\"..\" part"},
    {"a/../b", 0, "\"..\" part"},
    {"a/./b", 0, "\"..\" part"},
    {"a/..", 0, "\"..\" part"},
    {".git/config", 0, ".git folder"},
    {"a/.GIT/hooks/x", 0, ".git folder"},
    {"a\\b", 0, "backslash"},
    {"a\nb", 0, "control"},
    {"a\x7f", 0, "control"},
    {"a\0b", 3, "control"},
    {"a\xc2\x85" "b", 0, "control character (U+0080 to U+009F)"}, /* NEL */
    {"\xc2\x80", 0, "U+0080 to U+009F"},
    {"dir/x\xc2\x9f", 0, "U+0080 to U+009F"},
    {"a\xc2\xa0" "b", 0, NULL},                       /* U+00A0 no-break space: shows */
    {"x\xe2\x80\xae" "bnypi.exe", 0, NULL},            /* RLO: allowed, shown escaped */
    {"\xe2\x80\x8b\xef\xbb\xbf\xe2\x81\xa6.ipynb", 0, NULL}, /* ZWSP, BOM, LRI: allowed */
    {"\xc0\xaf", 0, "UTF-8"},
    {"\xff", 0, "UTF-8"},
    {"\xed\xa0\x80", 0, "UTF-8"},
    {"\xe6\x97", 0, "UTF-8"},
};
/* clang-format on */

static void
test_table(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const path_case_t *c = &cases[i];
        const char *why = lg_ghpath_check(c->path, c->len ? c->len : strlen(c->path));
        if (c->why == NULL)
            CHECK_MSG(why == NULL, "row %zu: %s", i, why);
        else
            CHECK_MSG(why != NULL && strstr(why, c->why) != NULL, "row %zu: got %s, want %s", i,
                      why ? why : "valid", c->why);
    }
}

static void
test_lengths(void)
{
    static char path[LG_GHPATH_MAX + 2];
    memset(path, 'a', sizeof(path));
    CHECK(lg_ghpath_check(path, 255) == NULL);
    CHECK(lg_ghpath_check(path, 256) != NULL);
    for (size_t i = 200; i < sizeof(path); i += 200)
        path[i] = '/';
    CHECK(lg_ghpath_check(path, LG_GHPATH_MAX) == NULL);
    CHECK(lg_ghpath_check(path, LG_GHPATH_MAX + 1) != NULL);
    CHECK_INT(lg_ghpath_valid("ab/..", 2), 1);
}

static void
test_reasons(void)
{
    CHECK_STR(lg_ghpath_check("a\x01", 2), "it contains a control character");
    CHECK_STR(lg_ghpath_check("a\xc2\x85", 3), "it contains a control character (U+0080 to U+009F)");
    CHECK_STR(lg_ghpath_check("\xc2", 1), "it is not valid UTF-8");
    CHECK_STR(lg_ghpath_check("a//b", 4), "it has an empty part (\"//\" or a '/' at the end)");
    CHECK_STR(lg_ghpath_check("a/../b", 6), "it has a \".\" or \"..\" part");
    CHECK(lg_ghpath_check("a/b", 3) == NULL);
}

int
main(void)
{
    RUN(test_table);
    RUN(test_lengths);
    RUN(test_reasons);
    return check_report();
}
