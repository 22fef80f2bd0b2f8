/* cmd_config.c - `labgate config`: the effective configuration, or the option table for the docs. */
#include "cmd/cmd.h"

int
lg_cmd_config(int argc, char **argv)
{
    lg_flag_t flags[] = {
        {"markdown", 0, "Print every option as a Markdown table (docs/configuration.md).", NULL},
        {NULL, 0, NULL, NULL},
    };
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate config [--markdown] [OPTIONS]",
                     "Print the configuration that the given file, LABGATE_* variables and flags add up to,\n"
                     "as an INI file that --config accepts.",
                     flags, LG_CMD_ALL);
        return LG_EXIT_OK;
    }
    lg_config_t cfg;
    if (lg_cmd_setup(&cfg, "config", LG_CMD_ALL, &argc, argv, flags) != 0)
        return LG_EXIT_USAGE;
    if (argc > 0) {
        fprintf(stderr, "labgate config: unexpected argument \"%s\"\n", argv[0]);
        lg_config_free(&cfg);
        return LG_EXIT_USAGE;
    }
    if (flags[0].value)
        lg_config_print_markdown(stdout);
    else
        lg_config_print_ini(stdout, &cfg);
    lg_config_free(&cfg);
    return LG_EXIT_OK;
}
