/* hash.h - a fast non-cryptographic 64-bit hash (FNV-1a) for cache slots and entity tags. */
#ifndef LG_HASH_H
#define LG_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t lg_hash64(const void *data, size_t len);

#endif
