/* importer.h - one import of a GitHub link into a user's project: the mirror is brought up to date, the
 * link's ref resolved, and the notebook, folder or whole repository written into PROJECTS/USER/REPO
 * without ever overwriting what the user changed. No HTTP, no Redis: the worker and `labgate import`
 * both call this. May block for as long as fetch_timeout plus the time to write the files. */
#ifndef LG_IMPORTER_H
#define LG_IMPORTER_H

#include "core/config.h"
#include "core/err.h"
#include "core/ghlink.h"
#include "core/strlist.h"

#include <stdint.h>

typedef enum {
    LG_IMPORT_NOTEBOOK, /* the linked file or folder, written from the mirror's objects */
    LG_IMPORT_REPO,     /* REPO/ becomes a git working copy of the commit */
} lg_import_mode_t;

typedef struct {
    const char *projects_dir;
    const char *cache_dir;
    const char *github_url; /* clone URLs are GITHUB_URL/OWNER/REPO.git */
    int64_t fetch_timeout_ms;
    int64_t mirror_max_age_ms;
    int64_t max_repo_bytes;
    int64_t max_files;
    int64_t max_file_bytes;
    const char *helper; /* the labgate binary that runs `mirror-fetch`; NULL for /proc/self/exe */
    int mirror_new;     /* lg_import_refresh mirrors repositories not mirrored here yet */
} lg_import_opts_t;

/* The options configuration gives (projects_dir, cache_dir, github_url, fetch_timeout, mirror_max_age,
 * max_repo_bytes, max_files, max_file_bytes, webhook_mirror_new); borrowed from cfg. */
void lg_import_opts_from_config(lg_import_opts_t *out, const lg_config_t *cfg);

typedef enum { LG_PROGRESS_FETCH, LG_PROGRESS_WRITE } lg_progress_stage_t;

typedef struct {
    lg_progress_stage_t stage;
    uint64_t objects, total_objects, bytes; /* LG_PROGRESS_FETCH */
    uint64_t files, total_files;            /* LG_PROGRESS_WRITE */
} lg_import_progress_t;

/* Called from the importing thread, at most every 100 ms or so while fetching, and per file written. */
typedef void (*lg_import_progress_fn)(void *ctx, const lg_import_progress_t *progress);

typedef struct {
    char *owner, *repo;
    lg_import_mode_t mode;
    char *ref;            /* as matched: "feature/x", "v1.0", "1a2b3c4"; "" when the link named none */
    const char *ref_kind; /* "branch", "tag", "commit" or "default" */
    char *branch;         /* the branch checked out, or NULL for a tag or commit */
    char commit[41];
    char *path;        /* inside the repository; "" for the whole repository */
    char *project_dir; /* PROJECTS/USER */
    char *target_dir;  /* PROJECTS/USER/REPO */
    char *open_path;   /* what to open, relative to project_dir */
    int fetched;       /* this import ran a fetch */
    /* Paths relative to target_dir, sorted. beside: incoming versions of kept files, saved beside them. */
    lg_strlist_t created, updated, restored, unchanged, kept, beside, skipped, lfs;
    char *env_dir;          /* "", "binder" or ".binder": where the environment files are */
    lg_strlist_t env_files; /* environment.yml, requirements.txt, ... found there */
} lg_import_result_t;

typedef struct {
    const lg_ghlink_t *link;
    const char *user; /* already validated (core/username.h) */
    lg_import_mode_t mode;
    int refresh;        /* fetch even when the mirror is fresh */
    const char *log_id; /* the job id on log lines, or NULL */
} lg_import_spec_t;

/* Runs one import. On success fills *out (release with lg_import_result_free). On failure err says,
 * for the user, what went wrong: LG_ENOTFOUND (repository, ref or path), LG_ETOOBIG (a limit),
 * LG_EINVAL (hostile content or a Git LFS pointer), LG_ESTATE (the project is in the way), LG_ETIMEOUT
 * or LG_EIO (worth retrying). A refused import leaves the project as it was. progress may be NULL. */
int lg_import_run(lg_import_result_t *out, const lg_import_opts_t *opts, const lg_import_spec_t *spec,
                  lg_import_progress_fn progress, void *ctx, lg_err_t *err);

void lg_import_result_free(lg_import_result_t *r);

/* Fetches link's repository into its mirror now (a push happened upstream). A repository with no
 * mirror here is only mirrored with opts->mirror_new; *fetched says whether the mirror was brought up
 * to date (by a fetch of its own, or by another's that started after it asked and ended while it
 * waited for the mirror's lock). */
int lg_import_refresh(const lg_import_opts_t *opts, const lg_ghlink_t *link, int *fetched, const char *log_id,
                      lg_err_t *err);
/* Drops link's mirror (the repository was renamed, moved or deleted upstream). */
int lg_import_forget(const lg_import_opts_t *opts, const lg_ghlink_t *link, lg_err_t *err);

/* A process that runs many imports holds the importer's libraries set up between them (libgit2 reads
 * the system's CA bundle each time it is set up): lg_import_hold at start, lg_import_release at the end. */
void lg_import_hold(void);
void lg_import_release(void);

/* The result as one JSON object (see docs/import.md); the caller frees it. */
char *lg_import_result_json(const lg_import_result_t *r);

/* "notebook" or "repo"; and back: -1 for any other text. */
const char *lg_import_mode_name(lg_import_mode_t mode);
int lg_import_mode_parse(const char *text);

#endif
