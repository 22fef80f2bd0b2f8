/* redis_url.c - see redis_url.h. */
#include "redis_url.h"

#include <stdio.h>
#include <string.h>

int
lg_redis_url_parse(lg_redis_url_t *out, const char *url, lg_err_t *err)
{
    *out = (lg_redis_url_t){.port = 6379};
    if (url[0] == '/') {
        if (strlen(url) >= sizeof(out->path))
            return lg_err_set(err, LG_EINVAL, "redis: the socket path is too long");
        strcpy(out->path, url);
        return 0;
    }
    char rest[2] = "";
    int n = strncmp(url, "redis://", 8) == 0
                ? sscanf(url + 8, "%255[^:/]:%d/%d%1s", out->host, &out->port, &out->db, rest)
                : 0;
    if (n < 1 || rest[0] != '\0' || out->port < 1 || out->port > 65535 || out->db < 0)
        return lg_err_set(err, LG_EINVAL, "redis: \"%.100s\" is not redis://HOST:PORT[/DB] or a socket path",
                          url);
    return 0;
}
