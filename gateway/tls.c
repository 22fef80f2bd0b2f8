/* tls.c - TLS context setup for h2o. */
#include "tls.h"

#include <h2o.h>
#include <openssl/err.h>

SSL_CTX *
lg_tls_create(const char *cert_path, const char *key_path, lg_err_t *err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    const char *option = "tls_cert", *path = cert_path;
    if (ctx == NULL)
        goto fail;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx,
                        SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1)
        goto fail;
    option = "tls_key", path = key_path;
    if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1)
        goto fail;
    h2o_ssl_register_alpn_protocols(ctx, h2o_alpn_protocols);
    return ctx;
fail : {
    char reason[160];
    ERR_error_string_n(ERR_get_error(), reason, sizeof(reason));
    lg_err_set(err, LG_EINVAL, "%s: cannot use %s: %s", option, path, reason);
    SSL_CTX_free(ctx);
    return NULL;
}
}
