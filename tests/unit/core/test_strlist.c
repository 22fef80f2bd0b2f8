/* test_strlist.c - tests core/strlist.c. */
#include "core/strlist.h"

#include "tests/unit/check.h"

static void
test_add_sort(void)
{
    lg_strlist_t l = LG_STRLIST_INIT;
    const char *in[] = {"b", "a/b", "a", "B", "\xc3\xa9", "a.b"};
    char word[8];
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
        lg_strlist_add(&l, in[i]);
    for (int i = 0; i < 100; i++) {
        snprintf(word, sizeof(word), "z%03d", 99 - i);
        lg_strlist_add(&l, word);
    }
    lg_strlist_sort(&l);
    CHECK_INT(l.n, 106);
    CHECK_STR(l.items[0], "B");
    CHECK_STR(l.items[1], "a");
    CHECK_STR(l.items[2], "a.b");
    CHECK_STR(l.items[3], "a/b");
    CHECK_STR(l.items[4], "b");
    CHECK_STR(l.items[5], "z000");
    CHECK_STR(l.items[104], "z099");
    CHECK_STR(l.items[105], "\xc3\xa9");
    lg_strlist_free(&l);
    CHECK_INT(l.n, 0);
    lg_strlist_free(&l); /* twice is fine */
}

int
main(void)
{
    RUN(test_add_sort);
    return check_report();
}
