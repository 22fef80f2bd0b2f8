/* main.c - `labgate COMMAND [ARGS]`: finds the subcommand and runs it. */
#include "cmd/cmd.h"

#include "core/log.h"

#include <string.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"dev", lg_cmd_dev, "Run everything on this machine: Redis, a worker with local Jupyter, the gateway."},
    {"gateway", lg_cmd_gateway, "Serve badges, import links, pages and the API over HTTP/1.1 and HTTP/2."},
    {"worker", lg_cmd_worker, "Carry out the imports queued in Redis."},
    {"import", lg_cmd_import, "Import a notebook, folder or repository from a GitHub link into a project."},
    {"badge", lg_cmd_badge, "Print a badge as SVG, or the Markdown, HTML or reStructuredText that shows it."},
    {"config", lg_cmd_config, "Print the effective configuration, or every option as a Markdown table."},
    {"version", lg_cmd_version, "Print the version."},
};

static void
usage(FILE *f)
{
    fprintf(f, "Usage: labgate COMMAND [OPTIONS]\n\n"
               "labgate opens notebooks from GitHub in your own Jupyter: badges and import links.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(
        f,
        "\nRun `labgate COMMAND --help` for a command's options. `labgate --version` prints the version.\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return LG_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return LG_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        return lg_cmd_version(0, argv + 2);
    if (strcmp(name, "mirror-fetch") == 0) /* importer/mirror.c's child; not listed */
        return lg_cmd_mirror_fetch(argc - 2, argv + 2);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "labgate: unknown command \"%s\"\n\n", name);
    usage(stderr);
    return LG_EXIT_USAGE;
}
