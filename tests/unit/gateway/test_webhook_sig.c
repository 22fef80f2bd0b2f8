/* test_webhook_sig.c - tests gateway/webhook_sig.c: GitHub's documented example, and every way a
 * signature can be wrong. */
#include "gateway/webhook_sig.h"

#include "tests/unit/check.h"

#include <ctype.h>

#define SECRET "It's a Secret to Everybody"
#define BODY   "Hello, World!"
#define GOOD   "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

static int
ok(const char *secret, const char *body, const char *header)
{
    return lg_webhook_signature_ok(secret, body, strlen(body), header, header ? strlen(header) : 0);
}

static void
test_github_vector(void)
{
    CHECK(ok(SECRET, BODY, GOOD)); /* docs.github.com: "Validating webhook deliveries" */
}

static void
test_wrong(void)
{
    char upper[sizeof(GOOD)];
    memcpy(upper, GOOD, sizeof(GOOD));
    for (char *p = upper + 7; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    CHECK(!ok(SECRET, BODY, upper));                                           /* wrong hex case */
    CHECK(!ok(SECRET, BODY, NULL));                                            /* missing */
    CHECK(!ok(SECRET, BODY, ""));                                              /* empty */
    CHECK(!ok(SECRET, BODY, "sha1=01c7a5cbb8dcf1fc6d1a5a8b7bdf8c3fd1f3a2b4")); /* sha1 only */
    CHECK(!ok(SECRET, BODY, GOOD + 7));                                        /* no prefix */
    CHECK(!ok(SECRET, BODY,
              "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")); /* short */
    CHECK(!ok(SECRET, BODY, GOOD "7"));                                                   /* long */
    CHECK(!ok(SECRET, "Hello, World?", GOOD));            /* body changed by one byte */
    CHECK(!ok(SECRET, "Hello, World", GOOD));             /* truncated body */
    CHECK(!ok("It's a Secret to everybody", BODY, GOOD)); /* another secret */
    char flipped[sizeof(GOOD)];
    for (size_t i = 7; i < sizeof(GOOD) - 1; i++) { /* any one digit changed */
        memcpy(flipped, GOOD, sizeof(GOOD));
        flipped[i] = flipped[i] == '0' ? '1' : '0';
        CHECK_MSG(!ok(SECRET, BODY, flipped), "digit %zu", i);
    }
}

int
main(void)
{
    RUN(test_github_vector);
    RUN(test_wrong);
    return check_report();
}
