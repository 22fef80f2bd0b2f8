/* option_value.c - typed option values: integers, sizes, durations, enums, URLs and listen addresses. */
#include "option_value.h"

#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(cfg, opt, type) ((type *)((char *)(cfg) + (opt)->offset))

/* Parses a non-negative decimal integer followed by an optional unit; returns the unit or NULL. */
static const char *
parse_number(const char *text, int64_t *out)
{
    if (*text < '0' || *text > '9')
        return NULL;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || v > (unsigned long long)INT64_MAX)
        return NULL;
    *out = (int64_t)v;
    return end;
}

static int
scale(int64_t v, int64_t factor, int64_t *out)
{
    if (v > INT64_MAX / factor)
        return -1;
    *out = v * factor;
    return 0;
}

static int
parse_size(const char *text, int64_t *out)
{
    int64_t v;
    const char *unit = parse_number(text, &v);
    if (unit == NULL)
        return -1;
    if (*unit == '\0' || strcasecmp(unit, "b") == 0)
        return *out = v, 0;
    if (strcasecmp(unit, "k") == 0 || strcasecmp(unit, "kb") == 0 || strcasecmp(unit, "kib") == 0)
        return scale(v, 1024, out);
    if (strcasecmp(unit, "m") == 0 || strcasecmp(unit, "mb") == 0 || strcasecmp(unit, "mib") == 0)
        return scale(v, 1024 * 1024, out);
    if (strcasecmp(unit, "g") == 0 || strcasecmp(unit, "gb") == 0 || strcasecmp(unit, "gib") == 0)
        return scale(v, 1024 * 1024 * 1024, out);
    return -1;
}

static int
parse_duration(const char *text, int64_t *out)
{
    int64_t v;
    const char *unit = parse_number(text, &v);
    if (unit == NULL)
        return -1;
    if (strcmp(unit, "ms") == 0)
        return *out = v, 0;
    if (*unit == '\0' || strcmp(unit, "s") == 0)
        return scale(v, 1000, out);
    if (strcmp(unit, "m") == 0)
        return scale(v, 60 * 1000, out);
    if (strcmp(unit, "h") == 0)
        return scale(v, 3600 * 1000, out);
    return -1;
}

static int
parse_enum(const lg_option_t *opt, const char *text)
{
    const char *c = opt->choices;
    size_t n = strlen(text);
    for (int i = 0; *c != '\0'; i++) {
        size_t len = strcspn(c, "|");
        if (len == n && strncmp(c, text, n) == 0)
            return i;
        c += len + (c[len] == '|');
    }
    return -1;
}

static int
valid_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == ':' || c == '%' || c == '_';
}

/* HOST:PORT with HOST a name, an IPv4 literal or a bracketed IPv6 literal. */
static int
parse_listen(const char *text, lg_listen_t *out)
{
    const char *colon;
    const char *host = text;
    size_t hostlen;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':')
            return -1;
        host = text + 1;
        hostlen = (size_t)(close - host);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL || memchr(text, ':', (size_t)(colon - text)) != NULL)
            return -1;
        hostlen = (size_t)(colon - text);
    }
    if (hostlen == 0 || hostlen >= sizeof(out->host))
        return -1;
    for (size_t i = 0; i < hostlen; i++)
        if (!valid_host_char(host[i]))
            return -1;
    int64_t port;
    const char *rest = parse_number(colon + 1, &port);
    if (rest == NULL || *rest != '\0' || port > 65535)
        return -1;
    memcpy(out->host, host, hostlen);
    out->host[hostlen] = '\0';
    out->port = (uint16_t)port;
    return 0;
}

/* http(s)://authority[/path] (and git:// when git is set) in printable ASCII, without query, fragment,
 * white space, quotes, '<', '>' or backslash. Non-ASCII (an IRI) is refused rather than passed on: the
 * value goes into links, headers and JSON as it is; percent-encode it. */
static int
valid_url(const char *text, int git)
{
    const char *rest;
    if (strncmp(text, "https://", 8) == 0)
        rest = text + 8;
    else if (strncmp(text, "http://", 7) == 0)
        rest = text + 7;
    else if (git && strncmp(text, "git://", 6) == 0)
        rest = text + 6;
    else
        return 0;
    if (*rest == '\0' || *rest == '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p <= ' ' || *p >= 0x7F || strchr("?#\\\"<>", *p) != NULL)
            return 0;
    return 1;
}

static int
set_string(lg_config_t *cfg, const lg_option_t *opt, const char *text)
{
    char **field = FIELD(cfg, opt, char *);
    size_t n = strlen(text);
    if (opt->type == LG_OPT_URL || opt->type == LG_OPT_GIT_URL)
        while (n > 0 && text[n - 1] == '/')
            n--;
    free(*field);
    *field = lg_xstrndup(text, n);
    return 0;
}

static int
set_bounded(lg_config_t *cfg, const lg_option_t *opt, const char *text)
{
    int64_t v;
    int rc;
    if (opt->type == LG_OPT_SIZE) {
        rc = parse_size(text, &v);
    } else if (opt->type == LG_OPT_DURATION) {
        rc = parse_duration(text, &v);
    } else {
        const char *end = parse_number(text, &v);
        rc = end != NULL && *end == '\0' ? 0 : -1;
    }
    if (rc != 0 || v < opt->min || v > opt->max)
        return -1;
    *FIELD(cfg, opt, int64_t) = v;
    return 0;
}

int
lg_option_set(lg_config_t *cfg, const lg_option_t *opt, const char *text, lg_err_t *err)
{
    int rc = -1;
    switch (opt->type) {
    case LG_OPT_INT:
    case LG_OPT_SIZE:
    case LG_OPT_DURATION:
        rc = set_bounded(cfg, opt, text);
        break;
    case LG_OPT_ENUM: {
        int i = parse_enum(opt, text);
        if (i >= 0)
            *FIELD(cfg, opt, int) = i, rc = 0;
        break;
    }
    case LG_OPT_URL:
    case LG_OPT_GIT_URL:
        if (*text == '\0' || valid_url(text, opt->type == LG_OPT_GIT_URL))
            rc = set_string(cfg, opt, text);
        break;
    case LG_OPT_STRING:
        rc = set_string(cfg, opt, text);
        break;
    case LG_OPT_LISTEN:
        if (cfg->nlisten >= LG_LISTEN_MAX) {
            return lg_err_set(err, LG_EINVAL, "%s: at most %d addresses", opt->name, LG_LISTEN_MAX);
        }
        if (parse_listen(text, &cfg->listen[cfg->nlisten]) == 0)
            cfg->nlisten++, rc = 0;
        break;
    }
    if (rc == 0)
        return 0;
    lg_buf_t allowed = LG_BUF_INIT;
    lg_option_describe(&allowed, opt);
    lg_err_set(err, LG_EINVAL, "%s: \"%.64s\" is not allowed; use %s", opt->name, text, lg_buf_str(&allowed));
    lg_buf_free(&allowed);
    return -1;
}

void
lg_option_clear(lg_config_t *cfg, const lg_option_t *opt)
{
    if (opt->type == LG_OPT_LISTEN) {
        cfg->nlisten = 0;
    } else if (opt->type == LG_OPT_STRING || opt->type == LG_OPT_URL || opt->type == LG_OPT_GIT_URL) {
        char **field = FIELD(cfg, opt, char *);
        free(*field);
        *field = NULL;
    }
}

static void
format_size(lg_buf_t *out, int64_t v)
{
    if (v != 0 && v % (1024 * 1024 * 1024) == 0)
        lg_buf_printf(out, "%lldg", (long long)(v / (1024 * 1024 * 1024)));
    else if (v != 0 && v % (1024 * 1024) == 0)
        lg_buf_printf(out, "%lldm", (long long)(v / (1024 * 1024)));
    else if (v != 0 && v % 1024 == 0)
        lg_buf_printf(out, "%lldk", (long long)(v / 1024));
    else
        lg_buf_printf(out, "%lld", (long long)v);
}

static void
format_duration(lg_buf_t *out, int64_t ms)
{
    if (ms != 0 && ms % 3600000 == 0)
        lg_buf_printf(out, "%lldh", (long long)(ms / 3600000));
    else if (ms != 0 && ms % 60000 == 0)
        lg_buf_printf(out, "%lldm", (long long)(ms / 60000));
    else if (ms % 1000 == 0)
        lg_buf_printf(out, "%llds", (long long)(ms / 1000));
    else
        lg_buf_printf(out, "%lldms", (long long)ms);
}

static void
format_enum(lg_buf_t *out, const lg_option_t *opt, int index)
{
    const char *c = opt->choices;
    for (int i = 0; *c != '\0'; i++) {
        size_t len = strcspn(c, "|");
        if (i == index) {
            lg_buf_append(out, c, len);
            return;
        }
        c += len + (c[len] == '|');
    }
}

void
lg_option_format(lg_buf_t *out, const lg_config_t *cfg, const lg_option_t *opt)
{
    const void *field = (const char *)cfg + opt->offset;
    switch (opt->type) {
    case LG_OPT_INT:
        lg_buf_printf(out, "%lld", (long long)*(const int64_t *)field);
        break;
    case LG_OPT_SIZE:
        format_size(out, *(const int64_t *)field);
        break;
    case LG_OPT_DURATION:
        format_duration(out, *(const int64_t *)field);
        break;
    case LG_OPT_ENUM:
        format_enum(out, opt, *(const int *)field);
        break;
    case LG_OPT_STRING:
    case LG_OPT_URL:
    case LG_OPT_GIT_URL:
        lg_buf_puts(out, *(char *const *)field ? *(char *const *)field : "");
        break;
    case LG_OPT_LISTEN:
        for (size_t i = 0; i < cfg->nlisten; i++) {
            const lg_listen_t *l = &cfg->listen[i];
            int v6 = strchr(l->host, ':') != NULL;
            lg_buf_printf(out, "%s%s%s%s:%u", i ? "," : "", v6 ? "[" : "", l->host, v6 ? "]" : "", l->port);
        }
        break;
    }
}

void
lg_option_describe(lg_buf_t *out, const lg_option_t *opt)
{
    lg_config_t bounds = {0};
    switch (opt->type) {
    case LG_OPT_INT:
        lg_buf_printf(out, "an integer from %lld to %lld", (long long)opt->min, (long long)opt->max);
        break;
    case LG_OPT_SIZE:
    case LG_OPT_DURATION: {
        const lg_option_t *o = opt;
        int64_t *f = (int64_t *)((char *)&bounds + o->offset);
        lg_buf_puts(out, o->type == LG_OPT_SIZE ? "a size (bytes, or with k, m or g) from "
                                                : "a duration (30s, 500ms, 5m) from ");
        *f = o->min;
        lg_option_format(out, &bounds, o);
        lg_buf_puts(out, " to ");
        *f = o->max;
        lg_option_format(out, &bounds, o);
        break;
    }
    case LG_OPT_ENUM:
        lg_buf_puts(out, "one of ");
        for (const char *c = opt->choices; *c; c++)
            lg_buf_puts(out, *c == '|' ? ", " : (char[]){*c, '\0'});
        break;
    case LG_OPT_STRING:
        lg_buf_puts(out, "any text");
        break;
    case LG_OPT_URL:
        lg_buf_puts(out, "an http:// or https:// URL without query or fragment");
        break;
    case LG_OPT_GIT_URL:
        lg_buf_puts(out, "an https://, http:// or git:// URL without query or fragment");
        break;
    case LG_OPT_LISTEN:
        lg_buf_puts(out, "HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080");
        break;
    }
}
