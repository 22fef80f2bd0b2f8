/* test_pathparts.c - tests core/pathparts.c: each '/'-separated part checked once, in order. */
#include "core/pathparts.h"

#include "tests/unit/check.h"

static char seen[256];

/* Records each part as "[part]" and refuses one that is "bad". */
static const char *
record(const char *part, size_t len)
{
    size_t used = strlen(seen);
    snprintf(seen + used, sizeof(seen) - used, "[%.*s]", (int)len, part);
    return len == 3 && memcmp(part, "bad", 3) == 0 ? "it has a bad part" : NULL;
}

static void
check_parts(const char *s, size_t n, const char *want_seen, const char *want_why)
{
    seen[0] = '\0';
    CHECK_STR(lg_pathparts_check(s, n, record), want_why);
    CHECK_STR(seen, want_seen);
}

static void
test_parts(void)
{
    check_parts("a", 1, "[a]", NULL);
    check_parts("a/bc/d", 6, "[a][bc][d]", NULL);
    check_parts("", 0, "[]", NULL);
    check_parts("/", 1, "[][]", NULL);
    check_parts("a//b", 4, "[a][][b]", NULL);
    check_parts("a/", 2, "[a][]", NULL);
    check_parts("/a", 2, "[][a]", NULL);
    check_parts("a/bad/c", 7, "[a][bad]", "it has a bad part"); /* stops at the first refusal */
    check_parts("bad", 3, "[bad]", "it has a bad part");
    check_parts("a/b/bad", 5, "[a][b][b]", NULL); /* only n bytes are read */
    check_parts("a\0b/c", 5, "[a][c]", NULL);     /* a NUL is data ("%.*s" stops at it here) */
}

int
main(void)
{
    RUN(test_parts);
    return check_report();
}
