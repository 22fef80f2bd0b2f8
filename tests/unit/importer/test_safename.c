/* test_safename.c - tests importer/safename.c: names from hostile trees, ".git" in every spelling, and
 * which symbolic links stay inside the imported folder. */
#include "importer/safename.h"

#include "core/buf.h"
#include "tests/unit/check.h"

#include <string.h>

typedef struct {
    const char *path;
    int ok;
} path_case_t;

/* clang-format off */
static const path_case_t paths[] = {
    {"nb.ipynb", 1},
    {"sub/dir/nb.ipynb", 1},
    {"donn\xc3\xa9""es/caf\xc3\xa9.ipynb", 1},
    {".github/workflows/ci.yml", 1},
    {".gitignore", 1},
    {".gitx", 1},
    {"git", 1},
    {"git~", 1},
    {"git~0", 1},
    {"a.git", 1},
    {".git", 0},
    {".GIT", 0},
    {".Git", 0},
    {"sub/.git", 0},
    {"sub/.git/config", 0},
    {".git.", 0},
    {".git ", 0},
    {".git. . ", 0},
    {".git::$INDEX_ALLOCATION", 0},
    {"git~1", 0},
    {"GIT~1", 0},
    {"git~2", 0},
    {"sub/GIT~1/config", 0},
    {".g\xe2\x80\x8cit", 0},          /* U+200C inside */
    {".git\xe2\x80\x8d", 0},          /* U+200D after */
    {"\xef\xbb\xbf.GIT", 0},          /* U+FEFF before */
    {".g\xe2\x80\xaei\xe2\x81\xaat", 0}, /* U+202E and U+206A */
    {"a\x01" "b.ipynb", 0},
    {"a\x7f" "b", 0},
    {"a\xc2\x85" "b", 0},             /* U+0085, a C1 control */
    {"bad\xff.ipynb", 0},
    {"\xc0\xaf", 0},                  /* overlong '/' */
    {"a\\b", 0},
    {"..", 0},
    {"a/../b", 0},
    {"./a", 0},
    {"/etc/passwd", 0},
    {"a//b", 0},
    {"", 0},
};

typedef struct {
    const char *link;
    const char *target;
    int inside;
} link_case_t;

static const link_case_t links[] = {
    {"link", "nb.ipynb", 1},
    {"link", "sub/nb.ipynb", 1},
    {"sub/link", "../nb.ipynb", 1},
    {"a/b/link", "../../data/x.csv", 1},
    {"a/b/link", "../..", 1},
    {"sub/link", "..", 1},
    {"link", "..", 0},
    {"link", "../outside", 0},
    {"a/b/link", "../../../x", 0},
    {"link", "/etc/passwd", 0},
    {"link", "a/../../x", 0},
    {"link", "a/..", 0},
    {"link", "./nb.ipynb", 0},
    {"link", "sub//nb", 0},
    {"link", "", 0},
    {"link", ".git/config", 0},
    {"link", "sub/GIT~1", 0},
    {"link", "nb\x01", 0},
};
/* clang-format on */

static void
test_paths(void)
{
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        const char *why = lg_safename_check(paths[i].path, strlen(paths[i].path));
        CHECK_MSG((why == NULL) == paths[i].ok, "path \"%s\": %s", paths[i].path, why ? why : "accepted");
    }
    CHECK_MSG(lg_safename_check("a\0b", 3) != NULL, "NUL inside a name");
    /* any number of HFS-ignorable characters */
    lg_buf_t many = LG_BUF_INIT;
    lg_buf_puts(&many, ".git");
    for (int i = 0; i < 40; i++)
        lg_buf_puts(&many, "\xe2\x80\x8c");
    CHECK_MSG(lg_safename_check(many.data, many.len) != NULL, ".git and 40 U+200C");
    lg_buf_free(&many);
}

static void
test_links(void)
{
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        CHECK_MSG(lg_safename_link_inside(links[i].link, links[i].target, strlen(links[i].target)) ==
                      links[i].inside,
                  "link %s -> \"%s\"", links[i].link, links[i].target);
    CHECK_INT(lg_safename_link_inside("link", "a\0b", 3), 0);
}

static void
test_git_meta(void)
{
    CHECK_INT(lg_safename_is_git_meta(".gitmodules", 11), 1);
    CHECK_INT(lg_safename_is_git_meta(".GITMODULES", 11), 1);
    CHECK_INT(lg_safename_is_git_meta(".gitmodules .", 13), 1);
    CHECK_INT(lg_safename_is_git_meta(".gitattributes", 14), 1);
    CHECK_INT(lg_safename_is_git_meta(".mailmap", 8), 1);
    CHECK_INT(lg_safename_is_git_meta(".gitmodulesx", 12), 0);
    CHECK_INT(lg_safename_is_git_meta("gitmodules", 10), 0);
}

int
main(void)
{
    RUN(test_paths);
    RUN(test_links);
    RUN(test_git_meta);
    return check_report();
}
