/* giterr.h - libgit2's last error as labgate's: the one place its message is read. Internal to the
 * importer. */
#ifndef LG_GITERR_H
#define LG_GITERR_H

#include "core/err.h"

/* libgit2's last error message, or "unknown error"; borrowed until the next libgit2 call. */
const char *lg_git_message(void);

/* Fills err with LG_EIO and "WHAT: MESSAGE"; returns -1. */
int lg_git_fail(lg_err_t *err, const char *what);

#endif
