/* fsutil.c - file system helpers for labgate's own directories; see fsutil.h. */
#include "importer/fsutil.h"

#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (type == FTW_DP)
        return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
    return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

int
lg_fs_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS);
}

/* 1 when fd is still the file at path: a holder may unlink the lock file before letting go of it (as
 * lg_mirror_forget does), and a lock on the unlinked file would be shared with whoever creates a new
 * one at path. */
static int
still_at(int fd, const char *path)
{
    struct stat held, now;
    return fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_dev == now.st_dev &&
           held.st_ino == now.st_ino;
}

int
lg_fs_lock(int *fd, const char *path, lg_err_t *err)
{
    for (;;) {
        *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (*fd < 0)
            return lg_err_set(err, LG_EIO, "cannot open %s: %s", path, strerror(errno));
        int rc;
        while ((rc = flock(*fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        if (rc != 0) {
            lg_err_set(err, LG_EIO, "cannot lock %s: %s", path, strerror(errno));
            close(*fd);
            *fd = -1;
            return rc;
        }
        if (still_at(*fd, path))
            return 0;
        close(*fd); /* unlinked while we waited: lock the file that is there now */
    }
}
