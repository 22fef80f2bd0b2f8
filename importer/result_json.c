/* result_json.c - an import's result as JSON, for `labgate import --json` and the job record. */
#include "importer/importer.h"

#include <jansson.h>

static json_t *
list(const lg_strlist_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_string(l->items[i]));
    return a;
}

char *
lg_import_result_json(const lg_import_result_t *r)
{
    json_t *files =
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "created", list(&r->created), "updated", list(&r->updated),
                  "restored", list(&r->restored), "unchanged", list(&r->unchanged), "kept", list(&r->kept),
                  "beside", list(&r->beside), "skipped", list(&r->skipped));
    json_t *env = json_pack("{s:s,s:o}", "dir", r->env_dir ? r->env_dir : "", "files", list(&r->env_files));
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o}", "owner", r->owner,
                          "repo", r->repo, "mode", lg_import_mode_name(r->mode), "ref", r->ref, "ref_kind",
                          r->ref_kind, "branch", r->branch ? json_string(r->branch) : json_null(), "commit",
                          r->commit, "path", r->path, "project_dir", r->project_dir, "target_dir",
                          r->target_dir, "open_path", r->open_path, "fetched", r->fetched, "files", files,
                          "lfs", list(&r->lfs), "environment", env);
    char *text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    return text;
}
