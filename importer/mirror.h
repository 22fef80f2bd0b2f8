/* mirror.h - the cache of bare mirrors, one per repository (CACHE/HOST/OWNER/REPO.git, lower-cased,
 * HOST:PORT spelled HOST_PORT):
 * created on first use, refreshed when stale or asked, one fetch per repository at a time across threads
 * and processes, each fetch in a child process held to fetch_timeout. */
#ifndef LG_MIRROR_H
#define LG_MIRROR_H

#include "core/buf.h"
#include "core/err.h"
#include "importer/importer.h"

/* Appends the mirror's path for owner/repo fetched from github_url. */
void lg_mirror_path(lg_buf_t *out, const char *cache_dir, const char *github_url, const char *owner,
                    const char *repo);

/* Makes sure the mirror at path exists and is fresh: fetched within mirror_max_age (unless force), or
 * by another import while this one waited for the lock (then that fetch is reused, even with force).
 * url is the clone URL, rebuilt from validated names. *fetched says whether this call fetched. Blocks
 * while another fetch of the same mirror runs, and for at most fetch_timeout on its own fetch. Logs each
 * fetch (debug level) under log_id. */
int lg_mirror_sync(int *fetched, const lg_import_opts_t *opts, const char *path, const char *url, int force,
                   const char *log_id, lg_import_progress_fn progress, void *ctx, lg_err_t *err);

/* Removes the mirror at path (waiting for a fetch of it to end); absent is fine. */
int lg_mirror_forget(const char *path, lg_err_t *err);

#endif
