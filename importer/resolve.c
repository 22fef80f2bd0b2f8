/* resolve.c - from a link to a commit and a path in a mirror; see resolve.h. */
#include "importer/resolve.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/refname.h"

#include <stdlib.h>
#include <string.h>

int
lg_resolve_ref_commit(git_oid *out, git_repository *repo, const char *name)
{
    git_reference *ref = NULL;
    git_object *obj = NULL;
    int rc = -1;
    memset(out, 0, sizeof(*out));
    if (git_reference_lookup(&ref, repo, name) == 0 &&
        git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
        git_oid_cpy(out, git_object_id(obj));
        rc = 0;
    }
    git_object_free(obj);
    git_reference_free(ref);
    return rc;
}

/* A commit by its full id or an unambiguous abbreviation of at least 7 hex digits, as GitHub takes. */
static int
lookup_commit_id(git_oid *out, git_repository *repo, const char *hex)
{
    size_t n = strlen(hex);
    git_oid prefix;
    git_object *obj = NULL;
    if (n < 7 || n > GIT_OID_HEXSZ || strspn(hex, "0123456789abcdefABCDEF") != n ||
        git_oid_fromstrn(&prefix, hex, n) != 0)
        return -1;
    int rc = git_object_lookup_prefix(&obj, repo, &prefix, n, GIT_OBJECT_COMMIT);
    if (rc == 0)
        git_oid_cpy(out, git_object_id(obj));
    git_object_free(obj);
    return rc == 0 ? 0 : -1;
}

/* The default branch's short name, from the mirror's HEAD. */
static char *
default_branch(git_repository *repo)
{
    git_reference *head = NULL;
    char *name = NULL;
    if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
        git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
        const char *target = git_reference_symbolic_target(head);
        if (strncmp(target, "refs/heads/", 11) == 0)
            name = lg_xstrdup(target + 11);
    }
    git_reference_free(head);
    return name;
}

/* Tries one ref name: branch, then tag, then commit id. 0 and fills out when it names something. */
static int
resolve_ref(lg_resolved_t *out, git_repository *repo, const char *ref)
{
    if (!lg_refname_valid(ref, strlen(ref)))
        return -1;
    lg_buf_t full = LG_BUF_INIT;
    int rc = -1;
    lg_buf_printf(&full, "refs/heads/%s", ref);
    if (lg_resolve_ref_commit(&out->commit, repo, lg_buf_str(&full)) == 0) {
        out->ref_kind = "branch";
        out->branch = lg_xstrdup(ref);
        rc = 0;
        goto out;
    }
    lg_buf_reset(&full);
    lg_buf_printf(&full, "refs/tags/%s", ref);
    if (lg_resolve_ref_commit(&out->commit, repo, lg_buf_str(&full)) == 0) {
        out->ref_kind = "tag";
        rc = 0;
        goto out;
    }
    if (strcmp(ref, "HEAD") == 0 && lg_resolve_ref_commit(&out->commit, repo, "HEAD") == 0) {
        out->ref_kind = "default";
        out->branch = default_branch(repo);
        rc = 0;
        goto out;
    }
    if (lookup_commit_id(&out->commit, repo, ref) == 0) {
        out->ref_kind = "commit";
        rc = 0;
    }
out:
    if (rc == 0)
        out->ref = lg_xstrdup(ref);
    lg_buf_free(&full);
    return rc;
}

/* Finds path in the commit's tree; sets is_tree. */
static int
find_path(lg_resolved_t *out, git_repository *repo, const lg_ghlink_t *link, lg_err_t *err)
{
    git_commit *commit = NULL;
    git_tree *tree = NULL;
    git_tree_entry *entry = NULL;
    int rc = -1;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), &out->commit);
    if (git_commit_lookup(&commit, repo, &out->commit) != 0 || git_commit_tree(&tree, commit) != 0) {
        lg_err_set(err, LG_EIO, "cannot read commit %.7s of %s/%s", hex, link->owner, link->repo);
        goto out;
    }
    if (out->path[0] == '\0') {
        out->is_tree = 1;
        rc = 0;
    } else if (git_tree_entry_bypath(&entry, tree, out->path) != 0) {
        lg_err_set(err, LG_ENOTFOUND, "%s/%s has no %s \"%.120s\" at %s (commit %.7s)", link->owner,
                   link->repo, link->kind == LG_GHLINK_TREE ? "folder" : "file", out->path,
                   out->ref[0] ? out->ref : "its default branch", hex);
    } else if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
        out->is_tree = 1;
        rc = 0;
    } else if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB && link->kind != LG_GHLINK_TREE) {
        rc = 0;
    } else {
        lg_err_set(err, LG_ENOTFOUND, "\"%.120s\" in %s/%s at %.7s is not a %s", out->path, link->owner,
                   link->repo, hex, link->kind == LG_GHLINK_TREE ? "folder" : "file");
    }
out:
    git_tree_entry_free(entry);
    git_tree_free(tree);
    git_commit_free(commit);
    return rc;
}

int
lg_resolve(lg_resolved_t *out, git_repository *repo, const lg_ghlink_t *link, lg_err_t *err)
{
    memset(out, 0, sizeof(*out));
    if (link->kind == LG_GHLINK_REPO) {
        if (lg_resolve_ref_commit(&out->commit, repo, "HEAD") != 0)
            return lg_err_set(err, LG_ENOTFOUND, "%s/%s has no default branch", link->owner, link->repo);
        out->ref = lg_xstrdup("");
        out->ref_kind = "default";
        out->branch = default_branch(repo);
        out->path = lg_xstrdup("");
    } else {
        size_t i;
        for (i = 0; i < link->nsplits; i++)
            if (resolve_ref(out, repo, link->splits[i].ref) == 0)
                break;
        if (i == link->nsplits)
            return lg_err_set(err, LG_ENOTFOUND, "%s/%s has no branch, tag or commit \"%.120s\"", link->owner,
                              link->repo, link->nsplits == 1 ? link->splits[0].ref : link->rest);
        out->path = lg_xstrdup(link->splits[i].path);
    }
    if (find_path(out, repo, link, err) != 0) {
        lg_resolved_free(out);
        return -1;
    }
    return 0;
}

void
lg_resolved_free(lg_resolved_t *r)
{
    free(r->ref);
    free(r->branch);
    free(r->path);
    memset(r, 0, sizeof(*r));
}
