/* route_import.c - the import link: GET /import/github/OWNER/REPO[/blob|tree/REF/PATH] shows a signed-in
 * user what would be imported, with the two ways to import it; GET /import?url=GITHUB_URL redirects to
 * that canonical link. GET never changes anything: POST /import (with the session's CSRF token) queues
 * the import and goes to its progress page, /jobs/ID. */
#include "gateway/routes.h"

#include "core/escape.h"
#include "core/ghlink.h"
#include "gateway/auth.h"
#include "gateway/jobs.h"
#include "gateway/page.h"

#include <string.h>

static const char *
what_label(const lg_ghlink_t *link, const char *path)
{
    size_t n = strlen(path);
    switch (link->kind) {
    case LG_GHLINK_BLOB:
        return n > 6 && strcmp(path + n - 6, ".ipynb") == 0 ? "Notebook" : "File";
    case LG_GHLINK_TREE:
        return *path ? "Folder" : "Whole repository, at this branch";
    default:
        return "Whole repository, at its default branch";
    }
}

/* Names from the link are shown with invisible and direction-changing characters spelled out, so
 * "x\u202Ebnpyi.exe" cannot pass for "xexe.iypnb". */
static void
show(lg_buf_t *out, const char *value)
{
    lg_escape_visible(out, value, strlen(value));
}

static void
row(lg_buf_t *out, const char *term, const char *value)
{
    lg_buf_puts(out, "<dt>");
    lg_buf_puts(out, term);
    lg_buf_puts(out, "</dt><dd>");
    show(out, value);
    lg_buf_puts(out, "</dd>\n");
}

/* When the ref holds a '/', which split is meant is only known against the repository's refs. The
 * reading shown is the shortest ref, the usual case; a hint names the next one. */
static void
ref_rows(lg_buf_t *out, const lg_ghlink_t *link)
{
    const lg_ghlink_split_t *shown = &link->splits[link->nsplits - 1];
    row(out, "Branch, tag or commit", shown->ref);
    if (*shown->path)
        row(out, link->kind == LG_GHLINK_TREE ? "Folder" : "Path", shown->path);
    if (link->nsplits < 2)
        return;
    lg_buf_puts(out, "<dd class=\"hint\">This link could also name a branch or tag called <code>");
    show(out, link->splits[link->nsplits - 2].ref);
    lg_buf_puts(out, link->nsplits > 2 ? "</code> or longer" : "</code>");
    lg_buf_puts(out, ": as on GitHub, the longest one that exists in the repository wins.</dd>\n");
}

/* The form that imports: one button per mode, the link and the session's CSRF token. */
static void
actions(lg_buf_t *out, lg_request_t *r, const lg_ghlink_t *link, const lg_session_t *s, const char *what)
{
    char token[LG_SESSION_TOKEN_LEN + 1];
    lg_auth_token(r, s, token);
    lg_buf_t path = LG_BUF_INIT;
    lg_ghlink_import_path(&path, link);
    lg_buf_printf(out,
                  "<form class=\"actions\" method=\"post\" action=\"/import\">\n"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
                  "<input type=\"hidden\" name=\"link\" value=\"",
                  token);
    lg_escape_xml_str(out, lg_buf_str(&path));
    lg_buf_puts(out, "\">\n<button type=\"submit\" name=\"mode\" value=\"notebook\">Copy ");
    lg_buf_puts(out, strcmp(what, "Notebook") == 0 ? "notebook"
                     : strcmp(what, "File") == 0   ? "file"
                     : strcmp(what, "Folder") == 0 ? "folder"
                                                   : "files");
    lg_buf_puts(out, "</button>\n<button type=\"submit\" name=\"mode\" value=\"repo\" class=\"secondary\">"
                     "Clone whole repository</button>\n</form>\n<p class=\"note\">Signed in as <strong "
                     "class=\"user\">");
    lg_escape_xml_str(out, s->user);
    lg_buf_puts(out, "</strong>. <em>Copy</em> puts the files in your project; <em>Clone</em> makes the "
                     "repository a git working copy there. Files you changed are never overwritten: the new "
                     "version is saved beside yours.</p>\n");
    lg_buf_free(&path);
}

static void
confirm_page(lg_buf_t *out, lg_request_t *r, const lg_ghlink_t *link, const lg_session_t *s)
{
    const char *github = lg_request_config(r)->github_url;
    lg_buf_t web = LG_BUF_INIT;
    lg_ghlink_web_url(&web, github, link);
    const char *path = link->nsplits ? link->splits[link->nsplits - 1].path : "";

    lg_page_begin(out, "Import from GitHub");
    lg_buf_puts(out, "<section class=\"confirm\">\n<h1>Import from GitHub</h1>\n<dl class=\"target\">\n");
    lg_buf_puts(out, "<dt>Repository</dt><dd class=\"repo\">");
    show(out, link->owner);
    lg_buf_putc(out, '/');
    show(out, link->repo);
    lg_buf_puts(out, "</dd>\n");
    row(out, "What", what_label(link, path));
    if (link->nsplits)
        ref_rows(out, link);
    lg_buf_puts(out, "<dt>On GitHub</dt><dd><a class=\"source\" href=\"");
    lg_escape_xml_str(out, lg_buf_str(&web));
    lg_buf_puts(out, "\">");
    lg_escape_xml_str(out, lg_buf_str(&web));
    lg_buf_puts(out, "</a></dd>\n</dl>\n");
    actions(out, r, link, s, what_label(link, path));
    lg_buf_puts(out, "<p class=\"note\">Nothing has been copied. Opening this link never changes anything in "
                     "your projects: an import starts only when you confirm it.</p>\n</section>\n");
    lg_page_end(out);
    lg_buf_free(&web);
}

void
lg_route_import(lg_request_t *r)
{
    lg_ghlink_t link;
    lg_err_t err;
    h2o_iovec_t raw = lg_request_raw_path(r); /* as sent: ".." must be refused, not resolved */
    if (lg_ghlink_parse_import_path(&link, raw.base, raw.len, &err) != 0) {
        lg_respond_error(r, err.code == LG_ETOOBIG ? 414 : 400, "invalid_import_link", err.msg);
        return;
    }
    lg_session_t session;
    if (!lg_auth_request(r, &session)) {
        lg_ghlink_free(&link);
        lg_auth_challenge(r);
        return;
    }
    lg_buf_t body = LG_BUF_INIT;
    confirm_page(&body, r, &link, &session);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, 200, "text/html; charset=utf-8", lg_buf_str(&body), body.len);
    lg_buf_free(&body);
    lg_ghlink_free(&link);
}

void
lg_route_import_url(lg_request_t *r)
{
    int bad = 0;
    const char *url = lg_request_query(r, "url", &bad);
    if (bad || url == NULL || *url == '\0') {
        lg_respond_error(r, 400, "missing_url",
                         "Add the GitHub link to import as ?url=, for example "
                         "/import?url=https://github.com/OWNER/REPO/blob/main/notebook.ipynb");
        return;
    }
    lg_ghlink_t link;
    lg_err_t err;
    if (lg_ghlink_parse_url(&link, url, strlen(url), &err) != 0) {
        lg_respond_error(r, err.code == LG_ETOOBIG ? 414 : 400, "invalid_github_url", err.msg);
        return;
    }
    lg_buf_t location = LG_BUF_INIT;
    lg_ghlink_import_path(&location, &link);
    lg_respond_redirect(r, 302, lg_buf_str(&location));
    lg_buf_free(&location);
    lg_ghlink_free(&link);
}

static void
on_enqueued(lg_request_t *r, const char *id, int existing)
{
    (void)existing; /* the same import a moment ago: its page is where this one would go */
    char location[64];
    snprintf(location, sizeof(location), "/jobs/%s", id);
    lg_respond_redirect(r, 303, location);
}

void
lg_route_import_post(lg_request_t *r)
{
    lg_session_t session;
    if (!lg_auth_form(r, &session))
        return;
    int bad;
    const char *path = lg_request_form(r, "link", &bad), *mode = lg_request_form(r, "mode", &bad);
    if (mode == NULL || (strcmp(mode, "notebook") != 0 && strcmp(mode, "repo") != 0)) {
        lg_respond_error(r, 400, "invalid_mode", "Choose how to import: mode is notebook or repo.");
        return;
    }
    lg_ghlink_t link;
    lg_err_t err;
    if (path == NULL || lg_ghlink_parse_import_path(&link, path, strlen(path), &err) != 0) {
        lg_respond_error(r, 400, "invalid_import_link",
                         path == NULL ? "The form lacks the link to import: go back to the import link."
                                      : err.msg);
        return;
    }
    lg_buf_t url = LG_BUF_INIT; /* queued in one spelling, so that dedup sees every spelling */
    lg_ghlink_web_url(&url, "https://github.com", &link);
    lg_jobs_enqueue(r, session.user, url.data, mode, LG_PRIO_INTERACTIVE, NULL, on_enqueued);
    lg_buf_free(&url);
    lg_ghlink_free(&link);
}
