/* test_etag.c - tests gateway/etag.c: strong tags and If-None-Match matching. */
#include "gateway/etag.h"

#include "tests/unit/check.h"

static void
test_tags(void)
{
    char a[LG_ETAG_SIZE], b[LG_ETAG_SIZE], c[LG_ETAG_SIZE];
    lg_etag_of(a, "badge", 5);
    lg_etag_of(b, "badge", 5);
    lg_etag_of(c, "badgf", 5);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    CHECK_INT(strlen(a), 18);
    CHECK(a[0] == '"' && a[17] == '"');
}

static const struct {
    const char *header;
    int match;
} cases[] = {
    {"\"0123456789abcdef\"", 1},
    {"W/\"0123456789abcdef\"", 1},
    {"\"x\", \"0123456789abcdef\"", 1},
    {"\"x\",\"0123456789abcdef\" ", 1},
    {"*", 1},
    {" * ", 1},
    {"\"0123456789abcdeF\"", 0},
    {"0123456789abcdef", 0},
    {"\"0123456789abcdef", 0},
    {"\"0123456789abcdef\"x", 0},
    {"", 0},
    {",,,", 0},
    {"W/", 0},
};

static void
test_matching(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_MSG(lg_etag_matches(cases[i].header, strlen(cases[i].header), "\"0123456789abcdef\"") ==
                      cases[i].match,
                  "If-None-Match: %s", cases[i].header);
}

int
main(void)
{
    RUN(test_tags);
    RUN(test_matching);
    return check_report();
}
