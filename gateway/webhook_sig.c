/* webhook_sig.c - see webhook_sig.h. */
#include "webhook_sig.h"

#include "core/random.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#define PREFIX     "sha256="
#define PREFIX_LEN 7

int
lg_webhook_signature_ok(const char *secret, const void *body, size_t len, const char *header, size_t hlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char want[PREFIX_LEN + 64 + 1] = PREFIX;
    if (header == NULL || hlen != PREFIX_LEN + 64 ||
        HMAC(EVP_sha256(), secret, (int)strlen(secret), body, len, md, &mdlen) == NULL || mdlen != 32)
        return 0;
    lg_hex(want + PREFIX_LEN, md, 32);
    return CRYPTO_memcmp(want, header, hlen) == 0;
}
