/* fsutil.h - file system helpers by path, for labgate's own directories (cache, projects root) and for
 * removing trees without following links. Writes inside a user's project go through project.h, which
 * never follows a symbolic link. */
#ifndef LG_FSUTIL_H
#define LG_FSUTIL_H

#include "core/err.h"

/* Removes path and everything under it without following symbolic links; absent is fine. 0 or -1. */
int lg_fs_remove_tree(const char *path);

/* Opens (creating) the lock file at path and takes an exclusive flock on it, waiting as long as it
 * takes; *fd holds it until closed. 0, or -1 with err. */
int lg_fs_lock(int *fd, const char *path, lg_err_t *err);

#endif
