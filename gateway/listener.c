/* listener.c - SO_REUSEPORT listening sockets, and the checks made before opening them. */
#include "listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A bound socket for addr:port (a listening one when `listening`), or -1 with err filled. */
static int
bind_to(const lg_listen_t *addr, uint16_t port, int listening, lg_err_t *err)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char service[8];
    snprintf(service, sizeof(service), "%u", port);
    int rc = getaddrinfo(addr->host, service, &hints, &ai);
    if (rc != 0)
        return lg_err_set(err, LG_EIO, "listen %s: cannot resolve the host: %s", addr->host,
                          gai_strerror(rc));
    int one = 1, fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    const char *step = "socket";
    if (fd < 0)
        goto fail;
    step = "setsockopt";
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        (listening && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) ||
        (listening && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) ||
        (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0))
        goto fail;
    step = "bind";
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0)
        goto fail;
    step = "listen";
    if (listening && listen(fd, SOMAXCONN) != 0)
        goto fail;
    freeaddrinfo(ai);
    return fd;
fail:
    lg_err_set(err, LG_EIO, "listen %s:%u: %s: %s", addr->host, port, step, strerror(errno));
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    return -1;
}

static uint16_t
port_of(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int
lg_listener_probe(const lg_listen_t *addr, uint16_t *port, lg_err_t *err)
{
    int fd = bind_to(addr, addr->port, 0, err);
    if (fd < 0)
        return -1;
    *port = port_of(fd);
    close(fd);
    return 0;
}

int
lg_listener_open(const lg_listen_t *addr, uint16_t port, uint16_t *bound_port, lg_err_t *err)
{
    int fd = bind_to(addr, port ? port : addr->port, 1, err);
    if (fd >= 0)
        *bound_port = port_of(fd);
    return fd;
}

int
lg_listener_is_loopback(const lg_listen_t *addr)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (strcmp(addr->host, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, addr->host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, addr->host, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return 0;
}
