/* project.c - symlink-proof file access inside a user's project; see project.h. */
#include "importer/project.h"

#include "core/buf.h"
#include "core/mem.h"

#include <errno.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMP_PREFIX ".labgate-tmp-"

static int
open_part(int dirfd, const char *part, int create, lg_err_t *err)
{
    int fd = openat(dirfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        if (mkdirat(dirfd, part, 0777) != 0 && errno != EEXIST)
            return lg_err_set(err, LG_EIO, "cannot create folder \"%.100s\": %s", part, strerror(errno));
        fd = openat(dirfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd >= 0 || errno == ENOENT)
        return fd;
    struct stat st;
    if (errno == ELOOP || errno == ENOTDIR)
        return lg_err_set(err, LG_ESTATE,
                          "\"%.100s\" in your project is a %s where the import needs a folder; move it away "
                          "and import again",
                          part,
                          fstatat(dirfd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)
                              ? "symbolic link"
                              : "file");
    return lg_err_set(err, LG_EIO, "cannot open folder \"%.100s\": %s", part, strerror(errno));
}

int
lg_project_opendir(int dirfd, const char *rel, size_t len, int create, lg_err_t *err)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return lg_err_set(err, LG_EIO, "cannot open the project: %s", strerror(errno));
    const char *end = rel + len;
    for (const char *p = rel; p < end && fd >= 0;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t n = (size_t)((slash ? slash : end) - p);
        char *part = lg_xstrndup(p, n);
        int next = open_part(fd, part, create, err);
        int saved = errno;
        free(part);
        close(fd);
        fd = next;
        errno = saved;
        p += n + 1;
    }
    return fd;
}

void
lg_dircache_init(lg_dircache_t *dc, int root)
{
    dc->root = root;
    dc->path = NULL;
    dc->fd = -1;
}

int
lg_dircache_open(lg_dircache_t *dc, const char *rel, size_t len, int create, lg_err_t *err)
{
    if (lg_dircache_holds(dc, rel, len))
        return dc->fd;
    if (dc->path != NULL && strlen(dc->path) == len && memcmp(dc->path, rel, len) == 0) {
        if (!create) {
            errno = ENOENT;
            return -1;
        }
    }
    lg_dircache_close(dc);
    errno = 0;
    dc->fd = lg_project_opendir(dc->root, rel, len, create, err);
    if (dc->fd < 0 && errno != ENOENT)
        return -1;
    dc->path = lg_xstrndup(rel, len);
    errno = dc->fd < 0 ? ENOENT : 0;
    return dc->fd;
}

int
lg_dircache_holds(const lg_dircache_t *dc, const char *rel, size_t len)
{
    return dc->fd >= 0 && strlen(dc->path) == len && memcmp(dc->path, rel, len) == 0;
}

int
lg_dircache_fd(const lg_dircache_t *dc)
{
    return dc->fd;
}

void
lg_dircache_close(lg_dircache_t *dc)
{
    if (dc->fd >= 0)
        close(dc->fd);
    free(dc->path);
    dc->path = NULL;
    dc->fd = -1;
}

/* The blob id of the size bytes in fd, hashed as they stream by (a user's file may be huge). A file
 * that changes size while read gets a zero id, which matches nothing: it then counts as the user's. */
static int
hash_file(git_oid *id, int fd, off_t size)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    char buf[65536];
    unsigned char md[EVP_MAX_MD_SIZE];
    int n = snprintf(buf, sizeof(buf), "blob %lld", (long long)size);
    int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, buf, (size_t)n + 1) == 1;
    off_t total = 0;
    for (ssize_t got; ok && (got = read(fd, buf, sizeof(buf))) != 0;) {
        if (got < 0 && errno == EINTR)
            continue;
        ok = got > 0 && EVP_DigestUpdate(ctx, buf, (size_t)got) == 1;
        total += got;
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, NULL) == 1;
    EVP_MD_CTX_free(ctx);
    memset(id, 0, sizeof(*id));
    if (ok && total == size)
        git_oid_fromraw(id, md);
    return ok ? 0 : -1;
}

int
lg_project_probe(lg_disk_kind_t *kind, git_oid *id, int dirfd, const char *name, lg_err_t *err)
{
    struct stat st;
    *kind = LG_DISK_ABSENT;
    if (dirfd < 0)
        return 0;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT
                   ? 0
                   : lg_err_set(err, LG_EIO, "cannot inspect \"%.100s\": %s", name, strerror(errno));
    int rc = 0;
    if (S_ISLNK(st.st_mode)) {
        char target[4097];
        ssize_t n = readlinkat(dirfd, name, target, sizeof(target));
        *kind = LG_DISK_LINK;
        if (n < 0 || n >= (ssize_t)sizeof(target))
            *kind = LG_DISK_OTHER;
        else
            git_odb_hash(id, target, (size_t)n, GIT_OBJECT_BLOB);
    } else if (S_ISREG(st.st_mode)) {
        int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0 || hash_file(id, fd, st.st_size) != 0)
            rc = lg_err_set(err, LG_EIO, "cannot read \"%.100s\" in your project: %s", name, strerror(errno));
        else
            *kind = st.st_mode & S_IXUSR ? LG_DISK_EXEC : LG_DISK_FILE;
        if (fd >= 0)
            close(fd);
    } else {
        *kind = LG_DISK_OTHER;
    }
    return rc;
}

static int
write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Creates tmpname as a file or link; a stale one of that name (left by a crash) is replaced. */
static int
create_temp(int dirfd, const char *tmpname, const void *data, size_t len, unsigned flags)
{
    for (int attempt = 0;; attempt++) {
        int rc;
        if (flags & LG_WRITE_LINK) {
            char *target = lg_xstrndup(data, len);
            rc = symlinkat(target, dirfd, tmpname);
            free(target);
        } else {
            rc = openat(dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        flags & LG_WRITE_EXEC ? 0777 : 0666);
        }
        if (rc >= 0 || errno != EEXIST || attempt > 0)
            return rc;
        unlinkat(dirfd, tmpname, 0);
    }
}

int
lg_project_write_temp(int dirfd, const char *tmpname, const void *data, size_t len, unsigned flags,
                      lg_err_t *err)
{
    int fd = create_temp(dirfd, tmpname, data, len, flags);
    if (fd < 0)
        return lg_err_set(err, LG_EIO, "cannot write in your project: %s", strerror(errno));
    if (flags & LG_WRITE_LINK)
        return 0;
    int rc = 0;
    if (write_all(fd, data, len) != 0 || ((flags & LG_WRITE_SYNC) && fsync(fd) != 0))
        rc = lg_err_set(err, LG_EIO, "cannot write in your project: %s", strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = lg_err_set(err, LG_EIO, "cannot write in your project: %s", strerror(errno));
    if (rc != 0)
        unlinkat(dirfd, tmpname, 0);
    return rc;
}

void
lg_project_temp_name(lg_buf_t *out)
{
    static _Atomic unsigned long seq;
    static _Atomic long pid;
    if (pid == 0)
        pid = (long)getpid();
    lg_buf_printf(out, TEMP_PREFIX "%ld-%lu", (long)pid, ++seq);
}

void
lg_project_remove_temps(int dirfd)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) == 0)
            unlinkat(dirfd, e->d_name, 0);
    closedir(d);
}

int
lg_project_write_file(int root, const char *dir, const char *name, const void *data, size_t len,
                      lg_err_t *err)
{
    int dirfd = lg_project_opendir(root, dir, strlen(dir), 1, err);
    if (dirfd < 0)
        return -1;
    lg_buf_t tmp = LG_BUF_INIT;
    lg_project_remove_temps(dirfd);
    lg_project_temp_name(&tmp);
    int rc = lg_project_write_temp(dirfd, lg_buf_str(&tmp), data, len, LG_WRITE_SYNC, err);
    if (rc == 0 && (renameat(dirfd, lg_buf_str(&tmp), dirfd, name) != 0 || fsync(dirfd) != 0))
        rc = lg_err_set(err, LG_EIO, "cannot save %s/%s in your project: %s", dir, name, strerror(errno));
    if (rc != 0)
        unlinkat(dirfd, lg_buf_str(&tmp), 0);
    lg_buf_free(&tmp);
    close(dirfd);
    return rc;
}
