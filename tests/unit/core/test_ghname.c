/* test_ghname.c - tests core/ghname.c: GitHub's owner and repository name rules. */
#include "core/ghname.h"

#include "tests/unit/check.h"

typedef struct {
    const char *name;
    int valid;
} name_case_t;

/* clang-format off */
static const name_case_t owners[] = {
    {"a", 1},
    {"jupyter", 1},
    {"Jupyter-Lab", 1},
    {"a-b-c", 1},
    {"0", 1},
    {"123abc", 1},
    {"abcdefghijabcdefghijabcdefghijabcdefghi", 1}, /* 39 */
    {"", 0},
    {"abcdefghijabcdefghijabcdefghijabcdefghij", 0}, /* 40 */
    {"-a", 0},
    {"a-", 0},
    {"-", 0},
    {"a--b", 0},
    {"a_b", 0},
    {"a.b", 0},
    {"a b", 0},
    {"a/b", 0},
    {".", 0},
    {"..", 0},
    {"\xc3\xa9", 0},
};

static const name_case_t repos[] = {
    {"r", 1},
    {"notebook", 1},
    {"my.repo_x-y", 1},
    {".github", 1},
    {"...", 1},
    {"a..b", 1},
    {"_", 1},
    {"-", 1},
    {"x.gitx", 1},
    {"x.GIT", 1},
    {"", 0},
    {".", 0},
    {"..", 0},
    {"x.git", 0},
    {".git", 0},
    {"a b", 0},
    {"a/b", 0},
    {"a~b", 0},
    {"a%b", 0},
    {"\xc3\xa9", 0},
};
/* clang-format on */

static void
test_owner(void)
{
    for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
        CHECK_MSG(lg_ghname_owner_valid(owners[i].name, strlen(owners[i].name)) == owners[i].valid,
                  "owner \"%s\"", owners[i].name);
    CHECK_INT(lg_ghname_owner_valid("a\0b", 3), 0);
    CHECK_INT(lg_ghname_owner_valid("ab--", 2), 1);
}

static void
test_repo(void)
{
    char name[102];
    for (size_t i = 0; i < sizeof(repos) / sizeof(repos[0]); i++)
        CHECK_MSG(lg_ghname_repo_valid(repos[i].name, strlen(repos[i].name)) == repos[i].valid, "repo \"%s\"",
                  repos[i].name);
    CHECK_INT(lg_ghname_repo_valid("a\0b", 3), 0);
    memset(name, 'r', sizeof(name));
    CHECK_INT(lg_ghname_repo_valid(name, 100), 1);
    CHECK_INT(lg_ghname_repo_valid(name, 101), 0);
}

int
main(void)
{
    RUN(test_owner);
    RUN(test_repo);
    return check_report();
}
