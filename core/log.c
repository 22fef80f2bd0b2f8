/* log.c - logfmt and JSON lines. */
#include "log.h"

#include "buf.h"
#include "unicode.h"
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

/* Appends \uXXXX for cp, as a UTF-16 surrogate pair past U+FFFF (JSON has no other form). */
static void
put_u_escape(lg_buf_t *b, int32_t cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        lg_buf_printf(b, "\\u%04x\\u%04x", 0xD800u + ((unsigned)cp >> 10), 0xDC00u + ((unsigned)cp & 0x3FF));
    } else {
        lg_buf_printf(b, "\\u%04x", (unsigned)cp);
    }
}

/* Appends s as a quoted string with \" \\ \n \t and \uXXXX escapes (for the other controls and every
 * hidden character of unicode.h, so no line breaks or bidi overrides reach a terminal); invalid UTF-8
 * becomes \ufffd. The same form is valid JSON and unambiguous logfmt. */
static void
put_quoted(lg_buf_t *b, const char *s, size_t n)
{
    lg_buf_putc(b, '"');
    size_t pos = 0;
    while (pos < n) {
        unsigned char c = (unsigned char)s[pos];
        if (c >= 0x80) {
            size_t start = pos;
            int32_t cp = lg_utf8_next(s, n, &pos);
            if (cp < 0)
                lg_buf_puts(b, "\\ufffd");
            else if (lg_unicode_is_hidden(cp))
                put_u_escape(b, cp);
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
        } else if (lg_unicode_is_control(c)) {
            put_u_escape(b, c);
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
