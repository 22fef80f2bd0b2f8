/* giterr.c - libgit2's last error as labgate's; see giterr.h. */
#include "importer/giterr.h"

#include <git2.h>

const char *
lg_git_message(void)
{
    const git_error *e = git_error_last();
    return e != NULL && e->message != NULL ? e->message : "unknown error";
}

int
lg_git_fail(lg_err_t *err, const char *what)
{
    return lg_err_set(err, LG_EIO, "%s: %s", what, lg_git_message());
}
