/* mkdirs.h - making a directory and its missing parents, as `mkdir -p`. */
#ifndef LG_MKDIRS_H
#define LG_MKDIRS_H

#include "err.h"

/* Creates path and its missing parents (mode 0755, less the umask); existing ones are fine. */
int lg_mkdirs(const char *path, lg_err_t *err);

#endif
