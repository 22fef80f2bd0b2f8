/* cmd_worker.c - `labgate worker`: carry out the imports queued in Redis. */
#include "cmd/cmd.h"

#include "worker/worker.h"

int
lg_cmd_worker(int argc, char **argv)
{
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate worker [OPTIONS]",
                     "Take import jobs from the Redis queue and carry them out, worker_concurrency at a\n"
                     "time. SIGTERM or SIGINT lets the running jobs finish, then exits; a second signal\n"
                     "exits at once (their jobs go to another worker when their lease lapses).",
                     NULL, LG_CMD_WORKER);
        return LG_EXIT_OK;
    }
    lg_config_t cfg;
    if (lg_cmd_setup(&cfg, "worker", LG_CMD_WORKER, &argc, argv, NULL) != 0)
        return LG_EXIT_USAGE;
    int rc = LG_EXIT_USAGE;
    if (argc > 0)
        fprintf(stderr, "labgate worker: unexpected argument \"%s\"\n", argv[0]);
    else
        rc = lg_worker_run(&cfg) == 0 ? LG_EXIT_OK : LG_EXIT_FAILED;
    lg_config_free(&cfg);
    return rc;
}
