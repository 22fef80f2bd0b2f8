/* test_username.c - tests core/username.c: which user names name a project folder. */
#include "core/username.h"

#include "tests/unit/check.h"

#include <string.h>

typedef struct {
    const char *name;
    int ok;
} name_case_t;

/* clang-format off */
static const name_case_t names[] = {
    {"alice", 1}, {"Alice", 1}, {"a", 1}, {"0", 1}, {"a.b_c-d", 1}, {"ann@example.org", 1}, {"a+b", 1},
    {"", 0}, {".", 0}, {"..", 0}, {"../x", 0}, {"a/b", 0}, {".hidden", 0}, {"-x", 0}, {"_x", 0},
    {"a b", 0}, {"a\x01", 0}, {"caf\xc3\xa9", 0}, {"a\\b", 0}, {"a:b", 0},
    {"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd", 1},  /* 64 */
    {"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde", 0}, /* 65 */
};
/* clang-format on */

static void
test_names(void)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *why = lg_username_check(names[i].name, strlen(names[i].name));
        CHECK_MSG((why == NULL) == names[i].ok, "user \"%s\": %s", names[i].name, why ? why : "accepted");
    }
    CHECK_MSG(lg_username_check("a\0b", 3) != NULL, "NUL inside");
}

int
main(void)
{
    RUN(test_names);
    return check_report();
}
