/* test_redis_url.c - tests core/redis_url.c: the accepted forms, and everything else refused. */
#include "core/redis_url.h"

#include "tests/unit/check.h"

static void
test_accepted(void)
{
    lg_redis_url_t u;
    lg_err_t err;
    CHECK_INT(lg_redis_url_parse(&u, "redis://127.0.0.1:6380/2", &err), 0);
    CHECK_STR(u.host, "127.0.0.1");
    CHECK_INT(u.port, 6380);
    CHECK_INT(u.db, 2);
    CHECK_INT(lg_redis_url_parse(&u, "redis://localhost", &err), 0);
    CHECK_STR(u.host, "localhost");
    CHECK_INT(u.port, 6379);
    CHECK_INT(u.db, 0);
    CHECK_INT(lg_redis_url_parse(&u, "redis://localhost/1", &err), 0); /* no port, a db */
    CHECK_INT(u.port, 6379);
    CHECK_INT(u.db, 1);
    CHECK_INT(lg_redis_url_parse(&u, "/run/redis/redis.sock", &err), 0);
    CHECK_STR(u.path, "/run/redis/redis.sock");
    CHECK_STR(u.host, "");
}

static void
test_refused(void)
{
    static const char *const bad[] = {"",
                                      "127.0.0.1:6379",
                                      "http://localhost:6379",
                                      "redis://",
                                      "redis://:6379",
                                      "redis://localhost:abc",
                                      "redis://localhost:6379junk",
                                      "redis://localhost:0",
                                      "redis://localhost:65536",
                                      "redis://localhost:",
                                      "redis://localhost/",
                                      "redis://localhost/x",
                                      "redis://localhost:6379/1/2",
                                      "redis://user@localhost",
                                      "redis://localhost?db=1",
                                      "redis://[::1]:6379",
                                      "redis://local host"};
    lg_redis_url_t u;
    lg_err_t err;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_MSG(lg_redis_url_parse(&u, bad[i], &err) != 0, "%s", bad[i]);
        CHECK_MSG(strstr(err.msg, "redis://HOST[:PORT][/DB]") != NULL, "%s: %s", bad[i], err.msg);
    }
    char longer[400] = "/";
    memset(longer + 1, 'a', sizeof(longer) - 2);
    CHECK(lg_redis_url_parse(&u, longer, &err) != 0);
}

int
main(void)
{
    RUN(test_accepted);
    RUN(test_refused);
    return check_report();
}
