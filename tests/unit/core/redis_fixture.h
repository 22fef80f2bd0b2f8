/* redis_fixture.h - a real redis-server for unit tests: on a free loopback port, in a temporary folder,
 * without persistence; stopped at exit. */
#ifndef LG_TEST_REDIS_FIXTURE_H
#define LG_TEST_REDIS_FIXTURE_H

/* Starts redis-server and returns its redis://127.0.0.1:PORT URL (static storage); exits the test with
 * a message when it cannot. */
const char *lg_test_redis_start(void);

#endif
