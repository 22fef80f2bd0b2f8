/* cmd.h - the `labgate` subcommands and what they share: help text and configuration loading. */
#ifndef LG_CMD_H
#define LG_CMD_H

#include "core/config.h"

#include <stdio.h>

/* Exit codes: 0 success, 1 the work failed, 2 the command line or configuration is wrong. */
enum { LG_EXIT_OK = 0, LG_EXIT_FAILED = 1, LG_EXIT_USAGE = 2 };

int lg_cmd_gateway(int argc, char **argv);
int lg_cmd_dev(int argc, char **argv);
int lg_cmd_import(int argc, char **argv);
int lg_cmd_mirror_fetch(int argc, char **argv);
int lg_cmd_worker(int argc, char **argv);
int lg_cmd_badge(int argc, char **argv);
int lg_cmd_config(int argc, char **argv);
int lg_cmd_version(int argc, char **argv);

/* A command's help: usage line, description, its own flags, then the options of `command`. */
void lg_cmd_usage(FILE *f, const char *usage, const char *about, const lg_flag_t *flags, unsigned command);
/* 1 when --help or -h is among the arguments (before a "--"). */
int lg_cmd_wants_help(int argc, char **argv);
/* Loads the configuration and sets up logging; on failure prints "labgate CMD: reason" and returns -1.
 * On success *argc becomes the number of positional arguments left in argv. */
int lg_cmd_setup(lg_config_t *cfg, const char *name, unsigned command, int *argc, char **argv,
                 lg_flag_t *flags);

#endif
