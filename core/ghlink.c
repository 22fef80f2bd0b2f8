/* ghlink.c - every form of GitHub link a user brings, reduced to owner, repository and (ref, path)
 * candidates. */
#include "ghlink.h"

#include "ghpath.h"
#include "mem.h"
#include "refname.h"
#include "unicode.h"
#include "urlenc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FORMS                                                                                                \
    "a repository (https://github.com/OWNER/REPO), a notebook (.../blob/REF/PATH) or a folder "              \
    "(.../tree/REF/DIR)"
#define QUOTE_MAX 64

typedef enum { SITE_GITHUB, SITE_RAW, SITE_COLAB, SITE_NBVIEWER, SITE_SSH, SITE_IMPORT } site_t;

/* What may follow OWNER/REPO: github.com pages, a raw file's REF/PATH, or nothing (git@ links). */
typedef enum { TAIL_PAGES, TAIL_RAW, TAIL_NONE } tail_t;

static const struct {
    const char *host;
    site_t site;
} hosts[] = {
    {"github.com", SITE_GITHUB},
    {"www.github.com", SITE_GITHUB},
    {"raw.githubusercontent.com", SITE_RAW},
    {"colab.research.google.com", SITE_COLAB},
    {"nbviewer.org", SITE_NBVIEWER},
    {"www.nbviewer.org", SITE_NBVIEWER},
    {"nbviewer.jupyter.org", SITE_NBVIEWER},
};

/* Writes s[0..n) into dst (QUOTE_MAX bytes) in double quotes, safe to show: valid UTF-8 is kept, except
 * what lg_unicode_escape_next writes visibly (hidden characters as \uXXXX, bytes that are not UTF-8 as
 * \xNN, '\\' doubled) and '"', written \"; the end is cut with "..." when it does not fit. Returns dst. */
static const char *
quote(char *dst, const char *s, size_t n)
{
    size_t o = 0, pos = 0;

    dst[o++] = '"';
    while (pos < n) {
        size_t at = pos;
        char tmp[LG_UNICODE_ESCAPE_MAX];
        size_t tn = lg_unicode_escape_next(tmp, s, n, &pos);
        if (tn == 0 && s[at] == '"') {
            memcpy(tmp, "\\\"", 2);
            tn = 2;
        } else if (tn == 0) {
            tn = pos - at; /* one UTF-8 character: at most 4 bytes */
            memcpy(tmp, s + at, tn);
        }
        if (o + tn + 5 > QUOTE_MAX) {
            memcpy(dst + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(dst + o, tmp, tn);
        o += tn;
    }
    dst[o++] = '"';
    dst[o] = '\0';
    return dst;
}

static int
match_ci(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

static int
match(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Length of s[0..n) up to the first byte of stop, or n. */
static size_t
span_until(const char *s, size_t n, const char *stop)
{
    size_t i = 0;
    while (i < n && (s[i] == '\0' || strchr(stop, s[i]) == NULL))
        i++;
    return i;
}

static int
not_github(const char *host, size_t n, lg_err_t *err)
{
    char q[QUOTE_MAX];
    if (n == 0)
        return lg_err_set(err, LG_EINVAL,
                          "not a GitHub link: it has no host; paste a link such as "
                          "https://github.com/OWNER/REPO");
    return lg_err_set(err, LG_EINVAL,
                      "not a GitHub link: the host is %s; paste a link to github.com such as "
                      "https://github.com/OWNER/REPO",
                      quote(q, host, n));
}

/* Recognizes HOST[:PORT] after an optional "user@" (only "git@" for ssh). */
static int
parse_authority(const char *a, size_t n, int ssh, site_t *site, lg_err_t *err)
{
    const char *at = memrchr(a, '@', n);
    if (at != NULL) {
        if (!ssh || !match(a, (size_t)(at - a), "git"))
            return lg_err_set(err, LG_EINVAL,
                              "links with a user name (\"user@\") are not accepted; paste a link "
                              "such as https://github.com/OWNER/REPO");
        n -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    size_t host_len = span_until(a, n, ":");
    if (host_len < n && !match(a + host_len + 1, n - host_len - 1, ssh ? "22" : "443") &&
        !match(a + host_len + 1, n - host_len - 1, ssh ? "22" : "80"))
        return not_github(a, n, err);
    size_t name_len = host_len > 0 && a[host_len - 1] == '.' ? host_len - 1 : host_len;
    if (match_ci(a, name_len, "gist.github.com"))
        return lg_err_set(err, LG_EINVAL,
                          "gists cannot be imported; link to a notebook in a repository: "
                          "https://github.com/OWNER/REPO/blob/REF/PATH");
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        if (match_ci(a, name_len, hosts[i].host) && (!ssh || hosts[i].site == SITE_GITHUB)) {
            *site = ssh ? SITE_SSH : hosts[i].site;
            return 0;
        }
    }
    return not_github(a, n, err);
}

/* Length of a "scheme" before "://" at the start of u, or 0 when there is none. */
static size_t
scheme_length(const char *u, size_t n)
{
    size_t i = 0;
    while (i < n && ((u[i] >= 'A' && u[i] <= 'Z') || (u[i] >= 'a' && u[i] <= 'z') ||
                     (i > 0 && ((u[i] >= '0' && u[i] <= '9') || u[i] == '+' || u[i] == '.' || u[i] == '-'))))
        i++;
    return i > 0 && n - i >= 3 && memcmp(u + i, "://", 3) == 0 ? i : 0;
}

/* Finds which site u[0..n) is on and where its path starts. */
static int
parse_head(const char *u, size_t n, site_t *site, size_t *path_off, lg_err_t *err)
{
    size_t start = 0, scheme = scheme_length(u, n);
    int ssh = 0;
    char q[QUOTE_MAX];

    if (scheme > 0) {
        ssh = match_ci(u, scheme, "ssh");
        if (!ssh && !match_ci(u, scheme, "https") && !match_ci(u, scheme, "http"))
            return lg_err_set(err, LG_EINVAL,
                              "only http and https links are accepted, not %s; paste a link "
                              "such as https://github.com/OWNER/REPO",
                              quote(q, u, scheme + 3));
        start = scheme + 3;
    } else if (n >= 4 && memcmp(u, "git@", 4) == 0) {
        size_t host_len = span_until(u + 4, n - 4, ":/");
        if (!match_ci(u + 4, host_len, "github.com"))
            return not_github(u + 4, host_len, err);
        if (host_len == n - 4 || u[4 + host_len] != ':')
            return lg_err_set(err, LG_EINVAL, "a git@ link is written git@github.com:OWNER/REPO.git");
        *site = SITE_SSH;
        *path_off = 4 + host_len + 1;
        return 0;
    } else if (n >= 2 && u[0] == '/' && u[1] == '/') {
        start = 2;
    }
    size_t auth_len = span_until(u + start, n - start, "/?#");
    *path_off = start + auth_len;
    return parse_authority(u + start, auth_len, ssh, site, err);
}

static void
push_split(lg_ghlink_t *out, const char *ref, size_t ref_len, const char *path)
{
    lg_ghlink_split_t *s = &out->splits[out->nsplits++];
    s->ref = lg_xmalloc(ref_len + 1);
    memcpy(s->ref, ref, ref_len);
    s->ref[ref_len] = '\0';
    s->path = path;
}

/* Why no reading of rest[0..n) is valid, told for the most natural one: the first part as the ref. */
static int
explain(lg_ghlink_kind_t kind, const char *rest, size_t n, lg_err_t *err)
{
    char q[QUOTE_MAX];
    const char *slash = memchr(rest, '/', n);
    size_t ref_len = slash ? (size_t)(slash - rest) : n;
    const char *why = lg_refname_check(rest, ref_len);

    if (why != NULL)
        return lg_err_set(err, LG_EINVAL, "%s is not a valid branch, tag or commit name: %s",
                          quote(q, rest, ref_len), why);
    if (slash == NULL)
        return lg_err_set(err, LG_EINVAL,
                          "the link names no file after the branch %s; a notebook link is "
                          "https://github.com/OWNER/REPO/blob/REF/PATH",
                          quote(q, rest, ref_len));
    why = lg_ghpath_check(slash + 1, n - ref_len - 1);
    return lg_err_set(err, LG_EINVAL, "the %s path %s is not valid: %s",
                      kind == LG_GHLINK_BLOB ? "file" : "folder", quote(q, slash + 1, n - ref_len - 1),
                      why ? why : "no branch or tag can be read from it");
}

/* Fills kind, rest and the candidate splits from the decoded rest[0..n), longest ref first. */
static int
set_rest(lg_ghlink_t *out, lg_ghlink_kind_t kind, const char *rest, size_t n, lg_err_t *err)
{
    if (kind == LG_GHLINK_TREE)
        while (n > 0 && rest[n - 1] == '/')
            n--;
    if (n == 0)
        return lg_err_set(err, LG_EINVAL, "the link names no branch, tag or commit; expected %s",
                          kind == LG_GHLINK_BLOB ? "https://github.com/OWNER/REPO/blob/REF/PATH"
                                                 : "https://github.com/OWNER/REPO/tree/REF/DIR");
    out->kind = kind;
    out->rest = lg_xmalloc(n + 1);
    memcpy(out->rest, rest, n);
    out->rest[n] = '\0';
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += rest[i] == '/';
    out->splits = lg_xcalloc(cap, sizeof(*out->splits));

    if (kind == LG_GHLINK_TREE && lg_refname_valid(out->rest, n))
        push_split(out, out->rest, n, out->rest + n);
    for (size_t i = n; i-- > 0;) {
        if (out->rest[i] != '/' || !lg_refname_valid(out->rest, i))
            continue;
        if (lg_ghpath_valid(out->rest + i + 1, n - i - 1))
            push_split(out, out->rest, i, out->rest + i + 1);
    }
    return out->nsplits > 0 ? 0 : explain(kind, rest, n, err);
}

/* Takes the next '/'-separated part of d[*pos..n). */
static size_t
next_part(const char *d, size_t n, size_t *pos, const char **part)
{
    size_t len = span_until(d + *pos, n - *pos, "/");
    *part = d + *pos;
    *pos += len + (*pos + len < n);
    return len;
}

static int
set_names(lg_ghlink_t *out, const char *owner, size_t owner_len, const char *repo, size_t repo_len,
          lg_err_t *err)
{
    char q[QUOTE_MAX];
    size_t name_len = repo_len >= 4 && memcmp(repo + repo_len - 4, ".git", 4) == 0 ? repo_len - 4 : repo_len;

    if (!lg_ghname_owner_valid(owner, owner_len))
        return lg_err_set(err, LG_EINVAL,
                          "owner %s is not a valid GitHub user or organization name (1-39 "
                          "letters, digits or single hyphens, not at the start or end)",
                          quote(q, owner, owner_len));
    if (!lg_ghname_repo_valid(repo, name_len))
        return lg_err_set(err, LG_EINVAL,
                          "repository name %s is not valid (1-100 letters, digits, '.', '-' or "
                          "'_'; not \".\" or \"..\", not ending in \".git\")",
                          quote(q, repo, repo_len));
    memcpy(out->owner, owner, owner_len);
    out->owner[owner_len] = '\0';
    memcpy(out->repo, repo, name_len);
    out->repo[name_len] = '\0';
    return 0;
}

/* Reads the kind of page after OWNER/REPO and hands its rest to set_rest. */
static int
parse_page(lg_ghlink_t *out, const char *d, size_t n, lg_err_t *err)
{
    char q[QUOTE_MAX];
    size_t pos = 0;
    const char *page;
    size_t page_len = next_part(d, n, &pos, &page);

    if (match(page, page_len, "blob") || match(page, page_len, "raw"))
        return set_rest(out, LG_GHLINK_BLOB, d + pos, n - pos, err);
    if (match(page, page_len, "tree"))
        return set_rest(out, LG_GHLINK_TREE, d + pos, n - pos, err);
    return lg_err_set(err, LG_EINVAL, "GitHub %s pages cannot be imported; labgate imports " FORMS,
                      quote(q, page, page_len));
}

/* Parses the decoded d[0..n) = OWNER/REPO[/TAIL]. */
static int
parse_repo_path(lg_ghlink_t *out, const char *d, size_t n, tail_t tail, lg_err_t *err)
{
    char q[QUOTE_MAX];
    size_t pos = 0, tail_pos;
    const char *owner, *repo;
    size_t owner_len = next_part(d, n, &pos, &owner);
    size_t repo_len = next_part(d, n, &pos, &repo);

    if (owner_len == 0 && repo_len == 0)
        return lg_err_set(err, LG_EINVAL, "the link names no repository; labgate imports " FORMS);
    if (repo_len == 0 && pos >= n)
        return lg_err_set(err, LG_EINVAL,
                          "%s is a user or organization, not a repository; labgate imports " FORMS,
                          quote(q, owner, owner_len));
    if (set_names(out, owner, owner_len, repo, repo_len, err) < 0)
        return -1;
    for (tail_pos = pos; tail_pos < n && d[tail_pos] == '/'; tail_pos++)
        ;
    if (tail_pos == n && tail != TAIL_RAW)
        return 0;
    if (tail == TAIL_NONE)
        return lg_err_set(err, LG_EINVAL,
                          "a git@ link names only a repository: git@github.com:OWNER/REPO.git");
    if (tail == TAIL_RAW)
        return set_rest(out, LG_GHLINK_BLOB, d + pos, n - pos, err);
    return parse_page(out, d + pos, n - pos, err);
}

/* Decodes the path p[0..n) of a link on site (query and fragment dropped) and parses it. */
static int
parse_site_path(lg_ghlink_t *out, site_t site, const char *p, size_t n, lg_err_t *err)
{
    lg_buf_t dec = LG_BUF_INIT;
    int rc = -1;

    n = span_until(p, n, "?#");
    if (lg_url_decode(&dec, p, n, 0, NULL) < 0) {
        lg_err_set(err, LG_EINVAL,
                   "the link has a broken percent-escape: a '%%' must be followed by two "
                   "hexadecimal digits");
        goto out;
    }
    const char *d = lg_buf_str(&dec);
    size_t dn = dec.len;
    if (dn > 0 && d[0] == '/')
        d++, dn--;
    if (site == SITE_COLAB || site == SITE_NBVIEWER) {
        if (dn < 7 || memcmp(d, "github/", 7) != 0) {
            lg_err_set(err, LG_EINVAL,
                       "this %s link does not open a notebook from GitHub; paste the GitHub link "
                       "instead",
                       site == SITE_COLAB ? "Colab" : "nbviewer");
            goto out;
        }
        d += 7, dn -= 7;
    }
    rc = parse_repo_path(out, d, dn,
                         site == SITE_RAW   ? TAIL_RAW
                         : site == SITE_SSH ? TAIL_NONE
                                            : TAIL_PAGES,
                         err);
out:
    lg_buf_free(&dec);
    if (rc < 0)
        lg_ghlink_free(out);
    return rc;
}

static int
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
too_long(size_t len, lg_err_t *err)
{
    return lg_err_set(err, LG_ETOOBIG, "the link is too long (%zu bytes; at most %d are accepted)", len,
                      LG_GHLINK_MAX);
}

int
lg_ghlink_parse_url(lg_ghlink_t *out, const char *url, size_t len, lg_err_t *err)
{
    site_t site = SITE_GITHUB;
    size_t path_off = 0;

    memset(out, 0, sizeof(*out));
    if (len > LG_GHLINK_MAX)
        return too_long(len, err);
    while (len > 0 && is_blank(url[0]))
        url++, len--;
    while (len > 0 && is_blank(url[len - 1]))
        len--;
    if (len == 0)
        return lg_err_set(err, LG_EINVAL,
                          "the link is empty; paste a GitHub link such as "
                          "https://github.com/OWNER/REPO");
    if (parse_head(url, len, &site, &path_off, err) < 0)
        return -1;
    return parse_site_path(out, site, url + path_off, len - path_off, err);
}

int
lg_ghlink_parse_import_path(lg_ghlink_t *out, const char *path, size_t len, lg_err_t *err)
{
    static const char prefix[] = "/import/github/";
    size_t plen = sizeof(prefix) - 1;

    memset(out, 0, sizeof(*out));
    if (len > LG_GHLINK_MAX)
        return too_long(len, err);
    if (len < plen || memcmp(path, prefix, plen) != 0)
        return lg_err_set(err, LG_EINVAL, "an import link starts with /import/github/OWNER/REPO");
    return parse_site_path(out, SITE_IMPORT, path + plen - 1, len - plen + 1, err);
}

void
lg_ghlink_free(lg_ghlink_t *link)
{
    for (size_t i = 0; i < link->nsplits; i++)
        free(link->splits[i].ref);
    free(link->splits);
    free(link->rest);
    memset(link, 0, sizeof(*link));
}

const char *
lg_ghlink_kind_name(lg_ghlink_kind_t kind)
{
    switch (kind) {
    case LG_GHLINK_REPO:
        return "repository";
    case LG_GHLINK_BLOB:
        return "blob";
    case LG_GHLINK_TREE:
        return "tree";
    }
    return "unknown";
}

static void
put_base(lg_buf_t *out, const char *base)
{
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    lg_buf_append(out, base, n);
}

static void
put_tail(lg_buf_t *out, const lg_ghlink_t *link)
{
    lg_buf_putc(out, '/');
    lg_url_encode(out, link->owner, strlen(link->owner));
    lg_buf_putc(out, '/');
    lg_url_encode(out, link->repo, strlen(link->repo));
    if (link->kind == LG_GHLINK_REPO || link->rest == NULL)
        return;
    lg_buf_puts(out, link->kind == LG_GHLINK_BLOB ? "/blob/" : "/tree/");
    lg_url_encode_path(out, link->rest, strlen(link->rest));
}

void
lg_ghlink_import_path(lg_buf_t *out, const lg_ghlink_t *link)
{
    lg_buf_puts(out, "/import/github");
    put_tail(out, link);
}

void
lg_ghlink_web_url(lg_buf_t *out, const char *base, const lg_ghlink_t *link)
{
    put_base(out, base);
    put_tail(out, link);
}

void
lg_ghlink_clone_url(lg_buf_t *out, const char *base, const lg_ghlink_t *link)
{
    put_base(out, base);
    lg_buf_putc(out, '/');
    lg_url_encode(out, link->owner, strlen(link->owner));
    lg_buf_putc(out, '/');
    lg_url_encode(out, link->repo, strlen(link->repo));
    lg_buf_puts(out, ".git");
}

int
lg_ghlink_equal(const lg_ghlink_t *a, const lg_ghlink_t *b)
{
    if (a->kind != b->kind || strcmp(a->owner, b->owner) != 0 || strcmp(a->repo, b->repo) != 0 ||
        a->nsplits != b->nsplits)
        return 0;
    if ((a->rest == NULL) != (b->rest == NULL) || (a->rest != NULL && strcmp(a->rest, b->rest) != 0))
        return 0;
    for (size_t i = 0; i < a->nsplits; i++)
        if (strcmp(a->splits[i].ref, b->splits[i].ref) != 0 ||
            strcmp(a->splits[i].path, b->splits[i].path) != 0)
            return 0;
    return 1;
}
