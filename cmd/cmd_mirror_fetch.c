/* cmd_mirror_fetch.c - `labgate mirror-fetch --create|--update GITDIR URL MAX_BYTES`: the child process
 * that runs one mirror fetch for importer/mirror.c, reporting on stdout (importer/fetch.h). Not for
 * people: it is not listed in the help. */
#include "cmd/cmd.h"

#include "importer/fetch.h"

#include <stdlib.h>
#include <string.h>

int
lg_cmd_mirror_fetch(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[0], "--create") != 0 && strcmp(argv[0], "--update") != 0)) {
        fprintf(stderr, "labgate mirror-fetch: internal command; use `labgate import`\n");
        return LG_EXIT_USAGE;
    }
    char *end;
    long long max = strtoll(argv[3], &end, 10);
    if (*end != '\0' || max <= 0) {
        fprintf(stderr, "labgate mirror-fetch: bad byte limit\n");
        return LG_EXIT_USAGE;
    }
    int create = strcmp(argv[0], "--create") == 0;
    return lg_fetch_run(argv[1], argv[2], create, max, stdout) == 0 ? LG_EXIT_OK : LG_EXIT_FAILED;
}
