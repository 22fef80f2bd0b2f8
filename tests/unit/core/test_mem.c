/* test_mem.c - tests core/mem.c: allocations that cannot fail (exhaustion aborts, so only success is
 * testable here). */
#include "core/mem.h"

#include "tests/unit/check.h"

#include <stdlib.h>

static void
test_alloc(void)
{
    void *p = lg_xmalloc(0); /* a real, freeable pointer even for 0 bytes */
    CHECK(p != NULL);
    free(p);

    unsigned char *z = lg_xcalloc(100, 3);
    int all_zero = 1;
    for (size_t i = 0; i < 300; i++)
        all_zero &= z[i] == 0;
    CHECK(all_zero);
    z = lg_xrealloc(z, 1000);
    CHECK(z[299] == 0); /* contents kept */
    free(z);
    free(lg_xcalloc(0, 0));
}

static void
test_strings(void)
{
    char *s = lg_xstrdup("labgate");
    CHECK_STR(s, "labgate");
    free(s);
    s = lg_xstrndup("labgate", 3);
    CHECK_STR(s, "lab");
    free(s);
    s = lg_xstrndup("a\0b", 3); /* copies n bytes, NUL or not, and terminates */
    CHECK(memcmp(s, "a\0b", 4) == 0);
    free(s);
    s = lg_xstrdup("");
    CHECK_STR(s, "");
    free(s);
}

int
main(void)
{
    RUN(test_alloc);
    RUN(test_strings);
    return check_report();
}
