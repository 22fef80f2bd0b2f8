/* redis_url.h - where Redis is: redis://HOST[:PORT][/DB] or the path of a unix socket. */
#ifndef LG_REDIS_URL_H
#define LG_REDIS_URL_H

#include "err.h"

typedef struct {
    char host[256]; /* empty for a unix socket */
    char path[256]; /* the socket's path, or empty */
    int port;
    int db;
} lg_redis_url_t;

/* Reads url; LG_EINVAL with a message naming the accepted forms when it is neither. */
int lg_redis_url_parse(lg_redis_url_t *out, const char *url, lg_err_t *err);

#endif
