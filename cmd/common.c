/* common.c - what the subcommands share: help output and configuration loading. */
#include "cmd/cmd.h"

#include "core/log.h"

#include <string.h>

int
lg_cmd_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

void
lg_cmd_usage(FILE *f, const char *usage, const char *about, const lg_flag_t *flags, unsigned command)
{
    fprintf(f, "Usage: %s\n\n%s\n", usage, about);
    if (flags != NULL && flags->name != NULL) {
        fprintf(f, "\nFlags:\n");
        for (const lg_flag_t *fl = flags; fl->name; fl++) {
            char spelled[64];
            snprintf(spelled, sizeof(spelled), "--%s%s", fl->name, fl->takes_value ? " VALUE" : "");
            fprintf(f, "  %-22s %s\n", spelled, fl->help);
        }
    }
    if (command != 0)
        lg_config_print_help(f, command);
    else
        fprintf(f, "\nFlags:\n");
    fprintf(f, "  %-22s %s\n", "--help", "Show this help.");
}

int
lg_cmd_setup(lg_config_t *cfg, const char *name, unsigned command, int *argc, char **argv, lg_flag_t *flags)
{
    lg_err_t err;
    int npositional = 0;
    if (lg_config_load(cfg, command, *argc, argv, flags, &npositional, &err) != 0) {
        fprintf(stderr, "labgate %s: %s\n", name, err.msg);
        lg_config_free(cfg);
        return -1;
    }
    lg_log_setup((lg_log_level_t)cfg->log_level, (lg_log_format_t)cfg->log_format);
    *argc = npositional;
    return 0;
}
