/* cmd_import.c - `labgate import GITHUB_URL --user NAME [--mode notebook|repo]`: one import from the
 * command line, with a progress bar on a terminal. */
#include "cmd/cmd.h"

#include "core/ghlink.h"
#include "core/queue.h"
#include "core/username.h"
#include "importer/importer.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { F_USER, F_MODE, F_REFRESH, F_JSON, F_QUEUE, F_END };

/* Redraws the bar in place, at most ten times a second, and always at the end of a stage. */
static void
show_progress(void *ctx, const lg_import_progress_t *p)
{
    (void)ctx;
    static struct timespec last;
    struct timespec now;
    char bar[31];
    uint64_t done = p->stage == LG_PROGRESS_FETCH ? p->objects : p->files;
    uint64_t total = p->stage == LG_PROGRESS_FETCH ? p->total_objects : p->total_files;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - last.tv_sec) * 1000 + (now.tv_nsec - last.tv_nsec) / 1000000;
    if (ms < 100 && done != total)
        return;
    last = now;
    size_t filled = total ? (size_t)(done * 30 / total) : 0;
    memset(bar, '#', filled);
    memset(bar + filled, '.', 30 - filled);
    bar[30] = '\0';
    if (p->stage == LG_PROGRESS_FETCH)
        fprintf(stderr, "\r\033[Kfetching [%s] %llu/%llu objects, %.1f MiB", bar, (unsigned long long)done,
                (unsigned long long)total, (double)p->bytes / (1024.0 * 1024.0));
    else
        fprintf(stderr, "\r\033[Kwriting  [%s] %llu/%llu files", bar, (unsigned long long)done,
                (unsigned long long)total);
}

static void
print_list(const char *label, const lg_strlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        printf("  %-10s %s\n", label, l->items[i]);
}

static void
print_result(const lg_import_result_t *r)
{
    printf("imported %s/%s at %.12s (%s%s%s) into %s\n", r->owner, r->repo, r->commit, r->ref_kind,
           r->ref[0] ? " " : "", r->ref, r->target_dir);
    print_list("created", &r->created);
    print_list("updated", &r->updated);
    print_list("restored", &r->restored);
    print_list("kept", &r->kept);
    print_list("beside", &r->beside);
    print_list("skipped", &r->skipped);
    print_list("lfs", &r->lfs);
    if (r->unchanged.n > 0)
        printf("  %zu file(s) unchanged\n", r->unchanged.n);
    if (r->kept.n > 0)
        printf("Your changed files were kept; upstream's versions are saved beside them (.upstream-*).\n");
    if (r->env_files.n > 0) {
        printf("Environment files:");
        for (size_t i = 0; i < r->env_files.n; i++)
            printf(" %s%s%s", r->env_dir, r->env_dir[0] ? "/" : "", r->env_files.items[i]);
        printf("\n");
    }
    printf("open: %s/%s\n", r->project_dir, r->open_path);
}

/* --queue: the import as a job; prints its id (that of the same import queued a moment ago, if any). */
static int
enqueue(const lg_config_t *cfg, const char *url, const char *user, const char *mode)
{
    lg_queue_opts_t o;
    lg_queue_opts_from_config(&o, cfg);
    lg_queue_t *q;
    lg_err_t err;
    char id[LG_JOB_ID_LEN + 1];
    int existing = 0;
    if (lg_queue_open(&q, &o, &err) != 0 ||
        lg_queue_enqueue(q, id, &existing, user, url, mode, LG_PRIO_INTERACTIVE, &err) != 0) {
        fprintf(stderr, "labgate import: %s\n", err.msg);
        lg_queue_close(q);
        return LG_EXIT_FAILED;
    }
    lg_queue_close(q);
    printf("%s%s\n", id, existing ? " (already queued)" : "");
    return LG_EXIT_OK;
}

static int
run(const lg_config_t *cfg, const char *url, const lg_flag_t *flags)
{
    const char *user = flags[F_USER].value;
    const char *why = user ? lg_username_check(user, strlen(user)) : "it is missing";
    if (why != NULL) {
        fprintf(stderr, "labgate import: --user: %s\n", why);
        return LG_EXIT_USAGE;
    }
    int mode = flags[F_MODE].value ? lg_import_mode_parse(flags[F_MODE].value) : LG_IMPORT_NOTEBOOK;
    if (mode < 0) {
        fprintf(stderr, "labgate import: --mode: use notebook or repo\n");
        return LG_EXIT_USAGE;
    }
    lg_ghlink_t link;
    lg_err_t err;
    if (lg_ghlink_parse_url(&link, url, strlen(url), &err) != 0) {
        fprintf(stderr, "labgate import: %s\n", err.msg);
        return LG_EXIT_USAGE;
    }
    if (flags[F_QUEUE].value != NULL) { /* queued in one spelling, so that dedup sees every spelling */
        lg_buf_t canonical = LG_BUF_INIT;
        lg_ghlink_web_url(&canonical, "https://github.com", &link);
        lg_ghlink_free(&link);
        int rc = enqueue(cfg, canonical.data, user, lg_import_mode_name(mode));
        lg_buf_free(&canonical);
        return rc;
    }
    lg_import_opts_t opts;
    lg_import_opts_from_config(&opts, cfg);
    lg_import_spec_t spec = {
        .link = &link, .user = user, .mode = mode, .refresh = flags[F_REFRESH].value != NULL};
    lg_import_result_t result;
    int tty = isatty(STDERR_FILENO);
    int rc = lg_import_run(&result, &opts, &spec, tty ? show_progress : NULL, NULL, &err);
    if (tty)
        fprintf(stderr, "\r\033[K");
    lg_ghlink_free(&link);
    if (rc != 0) {
        fprintf(stderr, "labgate import: %s\n", err.msg);
        return LG_EXIT_FAILED;
    }
    if (flags[F_JSON].value != NULL) {
        char *json = lg_import_result_json(&result);
        printf("%s\n", json);
        free(json);
    } else {
        print_result(&result);
    }
    lg_import_result_free(&result);
    return LG_EXIT_OK;
}

int
lg_cmd_import(int argc, char **argv)
{
    lg_flag_t flags[F_END + 1] = {
        [F_USER] = {"user", 1, "Whose project to import into (PROJECTS_DIR/USER).", NULL},
        [F_MODE] = {"mode", 1, "notebook (default): the linked file or folder; repo: a git working copy.",
                    NULL},
        [F_REFRESH] = {"refresh", 0, "Fetch from the git server even when the mirror is fresh.", NULL},
        [F_JSON] = {"json", 0, "Print the result as one JSON object.", NULL},
        [F_QUEUE] = {"queue", 0, "Queue the import for `labgate worker` and print the job's id.", NULL},
        [F_END] = {NULL, 0, NULL, NULL},
    };
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate import GITHUB_URL --user NAME [--mode notebook|repo] [--json]",
                     "Import a notebook, a folder or a whole repository from a GitHub link into\n"
                     "PROJECTS_DIR/USER/REPO, keeping any file the user changed (the new version is saved\n"
                     "beside it). Prints what was created, updated and kept, and where the files are.",
                     flags, LG_CMD_IMPORT);
        return LG_EXIT_OK;
    }
    lg_config_t cfg;
    if (lg_cmd_setup(&cfg, "import", LG_CMD_IMPORT, &argc, argv, flags) != 0)
        return LG_EXIT_USAGE;
    int rc = LG_EXIT_USAGE;
    if (argc != 1)
        fprintf(stderr, "labgate import: give one GitHub link (see --help)\n");
    else
        rc = run(&cfg, argv[0], flags);
    lg_config_free(&cfg);
    return rc;
}
