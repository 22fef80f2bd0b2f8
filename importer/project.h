/* project.h - reading and writing inside a user's project without ever following a symbolic link: every
 * path is walked part by part with openat(O_NOFOLLOW), so a link planted in the project cannot send a
 * write (or a read) elsewhere. Files land by write-to-temp, then rename. Internal to the importer. */
#ifndef LG_PROJECT_H
#define LG_PROJECT_H

#include "core/buf.h"
#include "core/err.h"

#include <git2.h>
#include <stddef.h>

/* Opens folder rel[0..len) ("" for dirfd itself) below dirfd. With create, missing parts are made.
 * Returns a new fd; -1 with errno ENOENT when a part is missing (and not create); -1 with err
 * (LG_ESTATE) when a part is a symbolic link or not a folder, naming it. */
int lg_project_opendir(int dirfd, const char *rel, size_t len, int create, lg_err_t *err);

/* Keeps the last opened folder, so that walking sorted paths opens each folder once. */
typedef struct {
    int root;
    char *path;
    int fd;
} lg_dircache_t;

void lg_dircache_init(lg_dircache_t *dc, int root);
/* The fd of folder rel[0..len) below root; as lg_project_opendir. Borrowed until the next call. */
int lg_dircache_open(lg_dircache_t *dc, const char *rel, size_t len, int create, lg_err_t *err);
/* 1 when the cache holds folder rel[0..len) open; and its fd (-1 when none). */
int lg_dircache_holds(const lg_dircache_t *dc, const char *rel, size_t len);
int lg_dircache_fd(const lg_dircache_t *dc);
void lg_dircache_close(lg_dircache_t *dc);

typedef enum { LG_DISK_ABSENT, LG_DISK_FILE, LG_DISK_EXEC, LG_DISK_LINK, LG_DISK_OTHER } lg_disk_kind_t;

/* What is at name in dirfd (dirfd -1 means its folder is absent), not followed (a FIFO or device is
 * LG_DISK_OTHER, never read); for a file (LG_DISK_EXEC when its owner may run it) or a link, *id is its
 * blob id: the content, streamed, or the link's target. */
int lg_project_probe(lg_disk_kind_t *kind, git_oid *id, int dirfd, const char *name, lg_err_t *err);

enum {
    LG_WRITE_EXEC = 1 << 0, /* an executable file */
    LG_WRITE_LINK = 1 << 1, /* a symbolic link to data, not a file holding it */
    LG_WRITE_SYNC = 1 << 2, /* fsync the file before returning */
};

/* Creates tmpname in dirfd (replacing a stale one) holding data, as flags say; files get mode 0777
 * (LG_WRITE_EXEC) or 0666 less the umask, as git checks out. Without LG_WRITE_SYNC the caller syncs
 * before renaming. */
int lg_project_write_temp(int dirfd, const char *tmpname, const void *data, size_t len, unsigned flags,
                          lg_err_t *err);

/* Appends a name for a temporary file no other writer (thread or process) uses: ".labgate-tmp-PID-N". */
void lg_project_temp_name(lg_buf_t *out);

/* Removes the temporary files (lg_project_temp_name) in dirfd: ones a killed import left behind. Only
 * for the holder of the user's import lock, when no other import of theirs can be writing. */
void lg_project_remove_temps(int dirfd);

/* Writes a whole small file at rel below root: temp, fsync, rename, fsync of the folder. */
int lg_project_write_file(int root, const char *dir, const char *name, const void *data, size_t len,
                          lg_err_t *err);

#endif
