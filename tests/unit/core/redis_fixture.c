/* redis_fixture.c - a real redis-server for unit tests; see redis_fixture.h. */
#include "tests/unit/core/redis_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t server;
static char dir[] = "/tmp/labgate-test-redis-XXXXXX";
static char url[64];

static void
stop(void)
{
    if (server > 0) {
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
    }
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "redis fixture: could not remove %s\n", dir);
}

static int
free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        return -1;
    close(s);
    return ntohs(a.sin_port);
}

static int
answers(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (s >= 0)
        close(s);
    return ok;
}

const char *
lg_test_redis_start(void)
{
    int port = free_port();
    if (port <= 0 || mkdtemp(dir) == NULL) {
        fprintf(stderr, "redis fixture: no port or folder\n");
        exit(1);
    }
    char portarg[16];
    snprintf(portarg, sizeof(portarg), "%d", port);
    char *argv[] = {"redis-server", "--port", portarg, "--bind", "127.0.0.1",  "--save",  "",
                    "--appendonly", "no",     "--dir", dir,      "--loglevel", "warning", NULL};
    /* fork, not posix_spawn: the server must die with the test even when the test dies of a signal. */
    server = fork();
    if (server == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execvp("redis-server", argv);
        _exit(127);
    }
    if (server < 0) {
        fprintf(stderr, "redis fixture: cannot start redis-server (install redis-server)\n");
        exit(1);
    }
    atexit(stop);
    for (int i = 0; i < 200 && !answers(port); i++) {
        struct timespec ts = {0, 25 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!answers(port)) {
        fprintf(stderr, "redis fixture: redis-server did not answer on port %d\n", port);
        exit(1);
    }
    snprintf(url, sizeof(url), "redis://127.0.0.1:%d", port);
    return url;
}
