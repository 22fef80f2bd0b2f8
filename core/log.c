/* log.c - logfmt and JSON lines. */
#include "log.h"

#include "buf.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

lg_log_level_t lg_log_min_level = LG_LOG_INFO;
static lg_log_format_t log_format = LG_LOG_TEXT;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void
lg_log_setup(lg_log_level_t min_level, lg_log_format_t format)
{
    lg_log_min_level = min_level;
    log_format = format;
}

static int
needs_quotes(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7F)
            return 1;
    }
    return 0;
}

/* Appends s as a quoted string with \" \\ \n \t and \u00XX escapes; invalid UTF-8 becomes U+FFFD.
 * The same form is valid JSON and unambiguous logfmt. */
static void
put_quoted(lg_buf_t *b, const char *s, size_t n)
{
    lg_buf_putc(b, '"');
    size_t pos = 0;
    while (pos < n) {
        unsigned char c = (unsigned char)s[pos];
        if (c >= 0x80) {
            size_t start = pos;
            if (lg_utf8_next(s, n, &pos) < 0)
                lg_buf_puts(b, "\\ufffd");
            else
                lg_buf_append(b, s + start, pos - start);
            continue;
        }
        pos++;
        if (c == '"' || c == '\\') {
            lg_buf_putc(b, '\\');
            lg_buf_putc(b, (char)c);
        } else if (c == '\n') {
            lg_buf_puts(b, "\\n");
        } else if (c == '\t') {
            lg_buf_puts(b, "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            lg_buf_printf(b, "\\u%04x", c);
        } else {
            lg_buf_putc(b, (char)c);
        }
    }
    lg_buf_putc(b, '"');
}

static void
put_key(lg_buf_t *b, const char *key)
{
    if (log_format == LG_LOG_JSON) {
        lg_buf_puts(b, ",\"");
        lg_buf_puts(b, key);
        lg_buf_puts(b, "\":");
    } else {
        lg_buf_putc(b, ' ');
        lg_buf_puts(b, key);
        lg_buf_putc(b, '=');
    }
}

static void
put_string(lg_buf_t *b, const char *key, const char *s, size_t n)
{
    put_key(b, key);
    if (log_format == LG_LOG_JSON || needs_quotes(s, n))
        put_quoted(b, s, n);
    else
        lg_buf_append(b, s, n);
}

static void
put_fields(lg_buf_t *b, va_list ap)
{
    for (;;) {
        int tag = va_arg(ap, int);
        if (tag == LG_FT_END)
            break;
        const char *key = va_arg(ap, const char *);
        if (tag == LG_FT_INT) {
            put_key(b, key);
            lg_buf_printf(b, "%lld", va_arg(ap, long long));
        } else {
            const char *s = va_arg(ap, const char *);
            size_t n = tag == LG_FT_STRN ? va_arg(ap, size_t) : (s ? strlen(s) : 0);
            put_string(b, key, s ? s : "", s ? n : 0);
        }
    }
}

void
lg_log_write(lg_log_level_t level, const char *id, const char *event, ...)
{
    char stamp[32];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t k = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(stamp + k, sizeof(stamp) - k, ".%03ldZ", ts.tv_nsec / 1000000);

    lg_buf_t b = LG_BUF_INIT;
    lg_buf_reserve(&b, 256);
    if (log_format == LG_LOG_JSON) {
        lg_buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\"", stamp, level_names[level]);
    } else {
        lg_buf_printf(&b, "ts=%s level=%s", stamp, level_names[level]);
    }
    put_string(&b, "id", id ? id : "-", id ? strlen(id) : 1);
    put_string(&b, "event", event, strlen(event));
    va_list ap;
    va_start(ap, event);
    put_fields(&b, ap);
    va_end(ap);
    lg_buf_puts(&b, log_format == LG_LOG_JSON ? "}\n" : "\n");

    ssize_t left = (ssize_t)b.len;
    const char *p = b.data;
    while (left > 0) {
        ssize_t w = write(STDERR_FILENO, p, (size_t)left);
        if (w <= 0)
            break;
        p += w;
        left -= w;
    }
    lg_buf_free(&b);
}
