/* redis_url.c - see redis_url.h. */
#include "redis_url.h"

#include <string.h>

/* A decimal number filling s[0..n) within [min, max]; -1 otherwise. */
static long
number(const char *s, size_t n, long min, long max)
{
    if (n == 0 || n > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v < min || v > max ? -1 : v;
}

static int
refuse(const char *url, lg_err_t *err)
{
    return lg_err_set(err, LG_EINVAL, "redis: \"%.100s\" is not redis://HOST[:PORT][/DB] or a socket path",
                      url);
}

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
    if (strncmp(url, "redis://", 8) != 0)
        return refuse(url, err);
    const char *host = url + 8, *end = host + strlen(host);
    const char *slash = strchr(host, '/');
    const char *hostend = slash ? slash : end;
    const char *colon = memchr(host, ':', (size_t)(hostend - host));
    size_t hlen = (size_t)((colon ? colon : hostend) - host);
    if (hlen == 0 || hlen >= sizeof(out->host) || strcspn(host, "@?#[] ") < hlen)
        return refuse(url, err);
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    if (colon != NULL && (out->port = (int)number(colon + 1, (size_t)(hostend - colon - 1), 1, 65535)) < 0)
        return refuse(url, err);
    if (slash != NULL && (out->db = (int)number(slash + 1, (size_t)(end - slash - 1), 0, 100000)) < 0)
        return refuse(url, err);
    return 0;
}
