/* mkdirs.c - see mkdirs.h. */
#include "mkdirs.h"

#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int
lg_mkdirs(const char *path, lg_err_t *err)
{
    if (*path == '\0')
        return lg_err_set(err, LG_EINVAL, "an empty directory name was given");
    char *p = lg_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            rc = lg_err_set(err, LG_EIO, "cannot create %s: %s", p, strerror(errno));
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    free(p);
    return rc;
}
