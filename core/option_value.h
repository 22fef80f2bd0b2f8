/* option_value.h - parsing, storing and printing the value of one configuration option by its type.
 * Internal to the configuration (config.c); the option table is in options.c. */
#ifndef LG_OPTION_VALUE_H
#define LG_OPTION_VALUE_H

#include "buf.h"
#include "config.h"

/* Parses text and stores it in cfg; a LISTEN value is appended to the list. On failure err->msg says
 * "NAME: what is allowed" and cfg is unchanged. */
int lg_option_set(lg_config_t *cfg, const lg_option_t *opt, const char *text, lg_err_t *err);
/* Empties a LISTEN list (a higher-precedence source replaces it) and frees a string value. */
void lg_option_clear(lg_config_t *cfg, const lg_option_t *opt);
/* Appends the current value as text that lg_option_set accepts (LISTEN: comma-separated). */
void lg_option_format(lg_buf_t *out, const lg_config_t *cfg, const lg_option_t *opt);
/* Describes the values an option allows, for --help and the docs. */
void lg_option_describe(lg_buf_t *out, const lg_option_t *opt);

#endif
