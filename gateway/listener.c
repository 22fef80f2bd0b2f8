/* listener.c - SO_REUSEPORT listening sockets. */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
bind_one(const struct addrinfo *ai, lg_err_t *err, const lg_listen_t *addr)
{
    int one = 1;
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0)
        return lg_err_set(err, LG_EIO, "listen %s: socket: %s", addr->host, strerror(errno));
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0 ||
        (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0)) {
        lg_err_set(err, LG_EIO, "listen %s: setsockopt: %s", addr->host, strerror(errno));
        goto fail;
    }
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        lg_err_set(err, LG_EIO, "listen %s:%u: %s", addr->host, addr->port, strerror(errno));
        goto fail;
    }
    if (listen(fd, SOMAXCONN) != 0) {
        lg_err_set(err, LG_EIO, "listen %s:%u: %s", addr->host, addr->port, strerror(errno));
        goto fail;
    }
    return fd;
fail:
    close(fd);
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
lg_listener_open(const lg_listen_t *addr, uint16_t port, uint16_t *bound_port, lg_err_t *err)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    char service[8];
    snprintf(service, sizeof(service), "%u", port ? port : addr->port);
    int rc = getaddrinfo(addr->host, service, &hints, &res);
    if (rc != 0)
        return lg_err_set(err, LG_EIO, "listen %s: cannot resolve the host: %s", addr->host, gai_strerror(rc));
    int fd = bind_one(res, err, addr);
    freeaddrinfo(res);
    if (fd >= 0)
        *bound_port = port_of(fd);
    return fd;
}
