/* test_refname.c - tests core/refname.c against a table of `git check-ref-format --branch` verdicts
 * (checked with git 2.39 while writing it) and labgate's deliberate differences, marked in the rows. */
#include "core/refname.h"

#include "tests/unit/check.h"

#include <stdlib.h>

typedef struct {
    const char *name;
    size_t len; /* 0: strlen(name) */
    int valid;
} ref_case_t;

/* clang-format off */
static const ref_case_t cases[] = {
    {"main", 0, 1},
    {"master", 0, 1},
    {"feature/x", 0, 1},
    {"feature/x/y", 0, 1},
    {"v1.0", 0, 1},
    {"v1.0.0-rc.1", 0, 1},
    {"release-2024_01", 0, 1},
    {"a.b", 0, 1},
    {"x.lock.y", 0, 1},
    {"a-", 0, 1},
    {"a/-x", 0, 1},
    {"a@b", 0, 1},
    {"@a", 0, 1},
    {"@/a", 0, 1},
    {"a/@", 0, 1},
    {"a#b", 0, 1},
    {"a'b", 0, 1},
    {"a\"b", 0, 1},
    {"a{b", 0, 1},
    {"a}b", 0, 1},
    {"!", 0, 1},
    {"$", 0, 1},
    {"%", 0, 1},
    {"a%b", 0, 1},
    {"a;b", 0, 1},
    {"refs/heads/main", 0, 1},
    {"gh-pages", 0, 1},
    {"dependabot/pip/numpy-1.26.0", 0, 1},
    {"caf\303\251", 0, 1},
    {"\346\227\245\346\234\254\350\252\236/\343\203\226\343\203\251\343\203\263\343\203\201", 0, 1},
    {"0123456789abcdef0123456789abcdef01234567", 0, 1},
    {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0, 1},
    {"HEAD", 0, 1}, /* accepted: GitHub links use HEAD for the default branch */
    {"AHEAD", 0, 1},
    {"MY_HEADS", 0, 1},
    {"x/FETCH_HEAD", 0, 1},
    {"", 0, 0},
    {"-x", 0, 0},
    {"-", 0, 0},
    {"a..b", 0, 0},
    {"a..", 0, 0},
    {"..", 0, 0},
    {".", 0, 0},
    {".a", 0, 0},
    {"a/.b", 0, 0},
    {"a/.", 0, 0},
    {"a/..", 0, 0},
    {"a.lock", 0, 0},
    {"a.lock/b", 0, 0},
    {"a/b.lock", 0, 0},
    {"a/", 0, 0},
    {"/a", 0, 0},
    {"a//b", 0, 0},
    {"a.", 0, 0},
    {"a/b.", 0, 0},
    {"a b", 0, 0},
    {"a\011b", 0, 0},
    {"a\012b", 0, 0},
    {"a\177b", 0, 0},
    {"a\001", 0, 0},
    {"a~b", 0, 0},
    {"a^b", 0, 0},
    {"main^", 0, 0},
    {"main~1", 0, 0},
    {"a:b", 0, 0},
    {"HEAD:file", 0, 0},
    {"a?b", 0, 0},
    {"a*b", 0, 0},
    {"a[b", 0, 0},
    {"a\\b", 0, 0},
    {"a@{b", 0, 0},
    {"main@{1}", 0, 0},
    {"@{-1}", 0, 0},
    {"@{upstream}", 0, 0},
    {"@", 0, 0}, /* refused: libgit2 reads @ as HEAD */
    {"FETCH_HEAD", 0, 0}, /* refused: git's own file */
    {"ORIG_HEAD", 0, 0}, /* refused: git's own file */
    {"MERGE_HEAD", 0, 0}, /* refused: git's own file */
    {"CHERRY_PICK_HEAD", 0, 0}, /* refused: git's own file */
    {"\377", 0, 0}, /* refused: not UTF-8 */
    {"a\300\257b", 0, 0}, /* refused: not UTF-8 */
    {"\355\240\200", 0, 0}, /* refused: not UTF-8 (surrogate) */
    {"a\000b", 3, 0},
    {"a\302\205b", 0, 0}, /* refused: U+0085 NEL, a C1 control (git accepts it) */
    {"\302\200", 0, 0}, /* refused: U+0080 */
    {"x/\302\237", 0, 0}, /* refused: U+009F */
    {"a\302\240b", 0, 1}, /* U+00A0 no-break space is not a control */
    {"x\342\200\256y", 0, 1}, /* U+202E: git accepts it; pages show it escaped */
};
/* clang-format on */

static void
test_table(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const ref_case_t *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->name);
        const char *why = lg_refname_check(c->name, len);
        CHECK_MSG((why == NULL) == c->valid, "row %zu \"%s\": want %s, got %s", i, c->name,
                  c->valid ? "valid" : "invalid", why ? why : "valid");
        CHECK_INT(lg_refname_valid(c->name, len), c->valid);
    }
}

static void
test_lengths(void)
{
    char name[300];
    memset(name, 'a', sizeof(name));
    CHECK_INT(lg_refname_valid(name, 255), 1);
    CHECK_INT(lg_refname_valid(name, 256), 0);
    name[127] = '/';
    CHECK_INT(lg_refname_valid(name, 255), 1);
    /* the length is what is checked, not a NUL: a longer buffer does not leak into the verdict */
    CHECK_INT(lg_refname_valid("main..", 4), 1);
}

static void
test_reasons(void)
{
    CHECK_STR(lg_refname_check("a..b", 4), "it contains \"..\"");
    CHECK_STR(lg_refname_check("-x", 2), "it starts with '-'");
    CHECK_STR(lg_refname_check("a.lock", 6), "a part of it ends with \".lock\"");
    CHECK_STR(lg_refname_check("a@{1}", 5), "it contains \"@{\"");
    CHECK_STR(lg_refname_check("a~1", 3), "it contains one of ~ ^ : ? * [ \\");
    CHECK_STR(lg_refname_check("", 0), "it is empty");
    CHECK_STR(lg_refname_check("a b", 3), "it contains a space or a control character");
    CHECK_STR(lg_refname_check("a\xc2\x85", 3), "it contains a control character (U+0080 to U+009F)");
    CHECK_STR(lg_refname_check("a\xff", 2), "it is not valid UTF-8");
    CHECK_STR(lg_refname_check("a//b", 4), "it contains \"//\"");
    CHECK_STR(lg_refname_check("a/.b", 4), "a part of it starts with '.'");
    CHECK(lg_refname_check("main", 4) == NULL);
}

static void
test_commit_id(void)
{
    CHECK_INT(lg_refname_is_commit_id("0123456789abcdef0123456789abcdef01234567", 40), 1);
    CHECK_INT(lg_refname_is_commit_id("0123456789ABCDEF0123456789ABCDEF01234567", 40), 1);
    CHECK_INT(lg_refname_is_commit_id("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 64),
              1);
    CHECK_INT(lg_refname_is_commit_id("0123456789abcdef0123456789abcdef0123456", 39), 0);
    CHECK_INT(lg_refname_is_commit_id("0123456789abcdef0123456789abcdef0123456g", 40), 0);
    CHECK_INT(lg_refname_is_commit_id("main", 4), 0);
    CHECK_INT(lg_refname_is_commit_id("abc1234", 7), 0);
}

int
main(void)
{
    RUN(test_table);
    RUN(test_lengths);
    RUN(test_reasons);
    RUN(test_commit_id);
    return check_report();
}
