/* webhook_sig.h - GitHub's webhook signature: X-Hub-Signature-256 is "sha256=" and the HMAC-SHA256 of
 * the raw body under the webhook's secret, in lower-case hex. */
#ifndef LG_WEBHOOK_SIG_H
#define LG_WEBHOOK_SIG_H

#include <stddef.h>

/* 1 when header[0..hlen) is the signature of body[0..len) under secret, compared in constant time;
 * anything else (missing, sha1= only, wrong length, upper-case hex, another body) is 0. */
int lg_webhook_signature_ok(const char *secret, const void *body, size_t len, const char *header,
                            size_t hlen);

#endif
