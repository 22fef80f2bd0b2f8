/* test_err.c - tests core/err.c: filling lg_err_t. */
#include "core/err.h"

#include "tests/unit/check.h"

static void
test_set(void)
{
    lg_err_t err = {LG_OK, ""};
    CHECK_INT(lg_err_set(&err, LG_ENOTFOUND, "no ref %s in %s/%s", "main", "o", "r"), -1);
    CHECK_INT(err.code, LG_ENOTFOUND);
    CHECK_STR(err.msg, "no ref main in o/r");

    /* a NULL err is allowed: the caller did not want details */
    CHECK_INT(lg_err_set(NULL, LG_EINVAL, "ignored %d", 1), -1);

    /* a message longer than the buffer is cut, still terminated */
    char big[600];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK_INT(lg_err_set(&err, LG_ETOOBIG, "%s", big), -1);
    CHECK_INT(err.code, LG_ETOOBIG);
    CHECK_INT(strlen(err.msg), sizeof(err.msg) - 1);
}

int
main(void)
{
    RUN(test_set);
    return check_report();
}
