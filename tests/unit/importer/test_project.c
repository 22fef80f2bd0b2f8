/* test_project.c - tests importer/project.c: walking a project without following links, probing files
 * by blob id, and writing through temporary files. */
#include "importer/project.h"

#include "tests/unit/check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root_path[] = "/tmp/labgate-test-project-XXXXXX";
static char outside_path[] = "/tmp/labgate-test-outside-XXXXXX";
static int root;

static void
setup(void)
{
    CHECK(mkdtemp(root_path) != NULL);
    CHECK(mkdtemp(outside_path) != NULL);
    root = open(root_path, O_RDONLY | O_DIRECTORY);
    CHECK(root >= 0);
    CHECK(mkdirat(root, "real", 0755) == 0);
    CHECK(symlinkat(outside_path, root, "planted") == 0);
    CHECK(symlinkat(outside_path, root, "real/inner") == 0);
    int fd = openat(root, "file", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && write(fd, "hello\n", 6) == 6);
    close(fd);
}

static int
outside_is_empty(void)
{
    int fd = open(outside_path, O_RDONLY | O_DIRECTORY);
    char probe[512];
    snprintf(probe, sizeof(probe), "%s/x", outside_path);
    int empty = access(probe, F_OK) != 0;
    close(fd);
    return empty && rmdir(outside_path) == 0 && mkdir(outside_path, 0755) == 0;
}

static void
test_opendir(void)
{
    lg_err_t err;
    int fd = lg_project_opendir(root, "real", 4, 0, &err);
    CHECK(fd >= 0);
    close(fd);
    errno = 0;
    CHECK_INT(lg_project_opendir(root, "missing/deeper", 14, 0, &err), -1);
    CHECK_INT(errno, ENOENT);
    fd = lg_project_opendir(root, "new/deeper", 10, 1, &err);
    CHECK(fd >= 0);
    close(fd);
    struct stat st;
    CHECK(fstatat(root, "new/deeper", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode));

    const char *refused[] = {"planted", "planted/x", "real/inner", "real/inner/x", "file", "file/x"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        err.code = LG_OK;
        CHECK_MSG(lg_project_opendir(root, refused[i], strlen(refused[i]), 1, &err) == -1, "%s", refused[i]);
        CHECK_MSG(err.code == LG_ESTATE, "%s: %s", refused[i], err.msg);
    }
    CHECK(strstr(err.msg, "file") != NULL);
    CHECK(outside_is_empty());
}

static void
test_probe(void)
{
    lg_err_t err;
    lg_disk_kind_t kind;
    git_oid id, expect;
    char hex[GIT_OID_HEXSZ + 1];
    CHECK_INT(lg_project_probe(&kind, &id, root, "file", &err), 0);
    CHECK_INT(kind, LG_DISK_FILE);
    git_oid_tostr(hex, sizeof(hex), &id);
    CHECK_STR(hex, "ce013625030ba8dba906f756967f9e9ca394464a"); /* git hash-object of "hello\n" */
    CHECK_INT(lg_project_probe(&kind, &id, root, "planted", &err), 0);
    CHECK_INT(kind, LG_DISK_LINK);
    git_odb_hash(&expect, outside_path, strlen(outside_path), GIT_OBJECT_BLOB);
    CHECK(git_oid_equal(&id, &expect));
    CHECK_INT(lg_project_probe(&kind, &id, root, "real", &err), 0);
    CHECK_INT(kind, LG_DISK_OTHER);
    CHECK_INT(lg_project_probe(&kind, &id, root, "absent", &err), 0);
    CHECK_INT(kind, LG_DISK_ABSENT);
    CHECK_INT(lg_project_probe(&kind, &id, -1, "file", &err), 0);
    CHECK_INT(kind, LG_DISK_ABSENT);
}

static void
test_write(void)
{
    lg_err_t err;
    lg_buf_t a = LG_BUF_INIT, b = LG_BUF_INIT;
    lg_project_temp_name(&a);
    lg_project_temp_name(&b);
    CHECK(strcmp(a.data, b.data) != 0);
    CHECK(strncmp(a.data, ".labgate-tmp-", 13) == 0);
    /* a stale temporary file, even a link planted under its name, is replaced, not followed */
    char target[600];
    snprintf(target, sizeof(target), "%s/x", outside_path);
    CHECK(symlinkat(target, root, a.data) == 0);
    CHECK_INT(lg_project_write_temp(root, a.data, "data", 4, LG_WRITE_EXEC | LG_WRITE_SYNC, &err), 0);
    struct stat st;
    CHECK(fstatat(root, a.data, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode));
    mode_t mask = umask(022);
    umask(mask);
    CHECK_INT(st.st_mode & 0777, 0777 & ~mask);
    CHECK(outside_is_empty());
    CHECK_INT(lg_project_write_temp(root, b.data, "sub/nb.ipynb", 12, LG_WRITE_LINK, &err), 0);
    char got[64];
    ssize_t n = readlinkat(root, b.data, got, sizeof(got));
    CHECK(n == 12 && memcmp(got, "sub/nb.ipynb", 12) == 0);
    unlinkat(root, a.data, 0);
    unlinkat(root, b.data, 0);

    CHECK_INT(lg_project_write_file(root, "made/here", "m.json", "{}", 2, &err), 0);
    lg_disk_kind_t kind;
    git_oid id;
    CHECK_INT(lg_project_probe(&kind, &id, root, "made/here/m.json", &err), 0);
    CHECK_INT(kind, LG_DISK_FILE);
    CHECK_INT(lg_project_write_file(root, "planted", "m.json", "{}", 2, &err), -1);
    CHECK_INT(err.code, LG_ESTATE);
    CHECK(outside_is_empty());
    lg_buf_free(&a);
    lg_buf_free(&b);
}

static void
test_dircache(void)
{
    lg_err_t err;
    lg_dircache_t dc;
    lg_dircache_init(&dc, root);
    errno = 0;
    CHECK_INT(lg_dircache_open(&dc, "later", 5, 0, &err), -1);
    CHECK_INT(errno, ENOENT);
    CHECK_INT(lg_dircache_open(&dc, "later", 5, 0, &err), -1); /* remembered as absent */
    CHECK_INT(errno, ENOENT);
    int fd = lg_dircache_open(&dc, "later", 5, 1, &err); /* now made */
    CHECK(fd >= 0);
    CHECK_INT(lg_dircache_open(&dc, "later", 5, 0, &err), fd);
    CHECK_INT(lg_dircache_open(&dc, "planted", 7, 0, &err), -1);
    CHECK_INT(err.code, LG_ESTATE);
    lg_dircache_close(&dc);
}

int
main(void)
{
    git_libgit2_init();
    setup();
    RUN(test_opendir);
    RUN(test_probe);
    RUN(test_write);
    RUN(test_dircache);
    close(root);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root_path, outside_path);
    CHECK(system(cmd) == 0);
    git_libgit2_shutdown();
    return check_report();
}
