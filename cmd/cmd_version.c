/* cmd_version.c - `labgate version`: the version of labgate and of the libraries it runs on. */
#include "cmd/cmd.h"

#include <h2o/version.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <uv.h>

int
lg_cmd_version(int argc, char **argv)
{
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate version", "Print labgate's version and those of its libraries.", NULL, 0);
        return LG_EXIT_OK;
    }
    printf("labgate %s\n", LABGATE_VERSION);
    if (argc > 0) {
        printf("h2o %s\nlibuv %s\njansson %s\n%s\n", H2O_VERSION, uv_version_string(), JANSSON_VERSION,
               OpenSSL_version(OPENSSL_VERSION));
    }
    return LG_EXIT_OK;
}
