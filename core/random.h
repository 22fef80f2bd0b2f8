/* random.h - secrets and unguessable ids from the kernel's random source, and the hex they are written
 * in. */
#ifndef LG_RANDOM_H
#define LG_RANDOM_H

#include <stddef.h>

/* Fills out with n random bytes; aborts when the kernel has none to give (nothing is safe then). */
void lg_random_bytes(void *out, size_t n);

/* Writes raw[0..n) as 2n lower-case hex digits and a NUL into out. */
void lg_hex(char *out, const void *raw, size_t n);

/* 2n random hex digits and a NUL (n random bytes) into out. */
void lg_random_hex(char *out, size_t n);

#endif
