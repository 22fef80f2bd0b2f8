/* cmd_mirror_fetch.c - `labgate mirror-fetch --create|--update GITDIR URL MAX_BYTES PARENT_PID`: the child
 * process that runs one mirror fetch for importer/mirror.c, reporting on stdout (importer/fetch.h). Not for
 * people: it is not listed in the help. */
#include "cmd/cmd.h"

#include "importer/fetch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int
lg_cmd_mirror_fetch(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[0], "--create") != 0 && strcmp(argv[0], "--update") != 0)) {
        fprintf(stderr, "labgate mirror-fetch: internal command; use `labgate import`\n");
        return LG_EXIT_USAGE;
    }
    char *end;
    long long max = strtoll(argv[3], &end, 10);
    if (*end != '\0' || max <= 0) {
        fprintf(stderr, "labgate mirror-fetch: bad byte limit\n");
        return LG_EXIT_USAGE;
    }
    /* Die with the importer that started us (it holds the mirror's lock), and keep none of the
     * descriptors a careless parent left open (sockets without close-on-exec). */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != (pid_t)strtol(argv[4], NULL, 10))
        return LG_EXIT_FAILED;
    close_range(3, ~0U, 0);
    int create = strcmp(argv[0], "--create") == 0;
    return lg_fetch_run(argv[1], argv[2], create, max, stdout) == 0 ? LG_EXIT_OK : LG_EXIT_FAILED;
}
