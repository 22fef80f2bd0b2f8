/* tls.c - TLS context setup for h2o. */
#include "tls.h"

#include <h2o.h>
#include <openssl/err.h>

static int
fail(SSL_CTX *ctx, lg_err_t *err, const char *option, const char *path)
{
    char reason[160];
    ERR_error_string_n(ERR_get_error(), reason, sizeof(reason));
    SSL_CTX_free(ctx);
    return lg_err_set(err, LG_EINVAL, "%s: cannot use %s: %s", option, path, reason);
}

SSL_CTX *
lg_tls_create(const char *cert_path, const char *key_path, lg_err_t *err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) {
        lg_err_set(err, LG_EIO, "cannot create a TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1) {
        fail(ctx, err, "tls_cert", cert_path);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1) {
        fail(ctx, err, "tls_key", key_path);
        return NULL;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        fail(ctx, err, "tls_key", key_path);
        return NULL;
    }
    h2o_ssl_register_alpn_protocols(ctx, h2o_alpn_protocols);
    return ctx;
}
