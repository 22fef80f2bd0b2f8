/* cmd_version.c - `labgate version`: the version of labgate and of the libraries it runs on. */
#include "cmd/cmd.h"

#include <h2o/version.h>
#include <git2.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

int
lg_cmd_version(int argc, char **argv)
{
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate version [--libraries]",
                     "Print labgate's version; with --libraries, also those of the libraries it runs on.",
                     NULL, 0);
        return LG_EXIT_OK;
    }
    int libraries = argc == 1 && strcmp(argv[0], "--libraries") == 0;
    if (argc > 0 && !libraries) {
        fprintf(stderr, "labgate version: unexpected argument \"%s\"\n", argv[0]);
        return LG_EXIT_USAGE;
    }
    printf("labgate %s\n", LABGATE_VERSION);
    if (libraries) {
        int major, minor, rev;
        git_libgit2_version(&major, &minor, &rev);
        printf("h2o %s\nlibuv %s\njansson %s\nlibgit2 %d.%d.%d\n%s\n", H2O_VERSION, uv_version_string(),
               JANSSON_VERSION, major, minor, rev, OpenSSL_version(OPENSSL_VERSION));
    }
    return LG_EXIT_OK;
}
