/* fsutil.h - file system helpers for labgate's own trusted directories (cache, projects root). Paths
 * inside a user's project go through project.h instead, which never follows a symbolic link. */
#ifndef LG_FSUTIL_H
#define LG_FSUTIL_H

#include "core/err.h"

/* Creates path and its missing parents (mode 0755); 0 or -1 with err. */
int lg_fs_mkdirs(const char *path, lg_err_t *err);

/* Removes path and everything under it without following symbolic links; absent is fine. 0 or -1. */
int lg_fs_remove_tree(const char *path);

#endif
