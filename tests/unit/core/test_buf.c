/* test_buf.c - tests core/buf.c: growth, printf, reset and detach, and that the contents are always
 * NUL-terminated. */
#include "core/buf.h"

#include "tests/unit/check.h"

#include <stdlib.h>

/* The invariant every operation keeps: "" or data[len] == '\0', and len < cap once memory is held. */
static int
terminated(const lg_buf_t *b)
{
    if (b->data == NULL)
        return b->len == 0 && b->cap == 0 && strcmp(lg_buf_str(b), "") == 0;
    return b->len < b->cap && b->data[b->len] == '\0';
}

static void
test_empty(void)
{
    lg_buf_t b = LG_BUF_INIT;
    CHECK(b.data == NULL);
    CHECK_STR(lg_buf_str(&b), "");
    CHECK(terminated(&b));
    lg_buf_free(&b);
    lg_buf_free(&b); /* twice is fine */
    CHECK(terminated(&b));
}

static void
test_reserve_on_empty(void)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_reserve(&b, 0);
    CHECK(b.data != NULL);
    CHECK(terminated(&b));
    CHECK_STR(lg_buf_str(&b), "");
    lg_buf_free(&b);

    lg_buf_reserve(&b, 1000);
    CHECK(b.cap >= 1001);
    CHECK(terminated(&b));
    CHECK_INT(b.len, 0);
    CHECK_STR(lg_buf_str(&b), "");
    lg_buf_free(&b);

    lg_buf_append(&b, "", 0);
    CHECK(terminated(&b));
    CHECK_STR(lg_buf_str(&b), "");
    lg_buf_free(&b);
}

static void
test_growth(void)
{
    lg_buf_t b = LG_BUF_INIT;
    char want[5001];
    for (int i = 0; i < 5000; i++) {
        char c = (char)('a' + i % 26);
        lg_buf_putc(&b, c);
        want[i] = c;
        if (!terminated(&b)) {
            CHECK_MSG(0, "not terminated after %d bytes", i + 1);
            break;
        }
    }
    want[5000] = '\0';
    CHECK_INT(b.len, 5000);
    CHECK_STR(lg_buf_str(&b), want);

    /* a reserve makes room that appends use without moving the data */
    lg_buf_reset(&b);
    lg_buf_reserve(&b, 100000);
    char *data = b.data;
    for (int i = 0; i < 1000; i++)
        lg_buf_append(&b, "0123456789", 10);
    CHECK(b.data == data);
    CHECK_INT(b.len, 10000);
    CHECK(terminated(&b));
    lg_buf_free(&b);
}

static void
test_append_binary(void)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_append(&b, "a\0b", 3);
    lg_buf_puts(&b, "cd");
    lg_buf_putc(&b, '\0');
    CHECK_INT(b.len, 6);
    CHECK(memcmp(b.data, "a\0bcd\0", 7) == 0);
    CHECK(terminated(&b));
    lg_buf_free(&b);
}

static void
test_printf(void)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_printf(&b, "%s=%d", "x", 42);
    lg_buf_printf(&b, "%s", "");
    CHECK_STR(lg_buf_str(&b), "x=42");
    CHECK_INT(b.len, 4);
    lg_buf_printf(&b, ";%05.1f;%c", 2.25, 'z');
    CHECK_STR(lg_buf_str(&b), "x=42;002.2;z");
    CHECK(terminated(&b));

    /* longer than any first allocation */
    char big[3000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    lg_buf_reset(&b);
    lg_buf_printf(&b, "<%s>", big);
    CHECK_INT(b.len, sizeof(big) + 1);
    CHECK(b.data[0] == '<' && b.data[b.len - 1] == '>');
    CHECK(terminated(&b));
    lg_buf_free(&b);

    /* printing nothing to an empty buffer leaves it empty */
    lg_buf_printf(&b, "%s", "");
    CHECK(terminated(&b));
    CHECK_STR(lg_buf_str(&b), "");
    lg_buf_free(&b);
}

static void
test_reset_and_detach(void)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_buf_puts(&b, "hello");
    size_t cap = b.cap;
    lg_buf_reset(&b);
    CHECK_INT(b.len, 0);
    CHECK_INT(b.cap, cap); /* memory kept */
    CHECK_STR(lg_buf_str(&b), "");
    CHECK(terminated(&b));
    lg_buf_puts(&b, "again");
    CHECK_STR(lg_buf_str(&b), "again");

    char *s = lg_buf_detach(&b);
    CHECK_STR(s, "again");
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
    CHECK(terminated(&b));
    free(s);

    /* detaching a buffer that never held anything still gives a string to free */
    s = lg_buf_detach(&b);
    CHECK_STR(s, "");
    free(s);

    /* and one that was reserved, or reset, gives "" too */
    lg_buf_reserve(&b, 10);
    s = lg_buf_detach(&b);
    CHECK_STR(s, "");
    free(s);
    lg_buf_puts(&b, "gone");
    lg_buf_reset(&b);
    s = lg_buf_detach(&b);
    CHECK_STR(s, "");
    free(s);

    /* the buffer is usable after a detach */
    lg_buf_puts(&b, "new");
    CHECK_STR(lg_buf_str(&b), "new");
    lg_buf_free(&b);
    lg_buf_reset(&b); /* on an empty buffer */
    CHECK(terminated(&b));
}

int
main(void)
{
    RUN(test_empty);
    RUN(test_reserve_on_empty);
    RUN(test_growth);
    RUN(test_append_binary);
    RUN(test_printf);
    RUN(test_reset_and_detach);
    return check_report();
}
