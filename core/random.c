/* random.c - see random.h. */
#include "random.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

void
lg_random_bytes(void *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom((char *)out + got, n - got, 0);
        if (r > 0)
            got += (size_t)r;
        else if (errno != EINTR)
            abort();
    }
}

void
lg_hex(char *out, const void *raw, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = raw;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void
lg_random_hex(char *out, size_t n)
{
    unsigned char raw[64];
    if (n > sizeof(raw))
        abort(); /* a programming error */
    lg_random_bytes(raw, n);
    lg_hex(out, raw, n);
}
