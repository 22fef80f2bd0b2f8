/* test_ghlink.c - tests core/ghlink.c: every form of GitHub link, its candidate (ref, path) splits, the
 * errors users see for what is refused, and the links rebuilt from a parse. */
#include "core/ghlink.h"

#include "core/unicode.h"
#include "core/utf8.h"
#include "tests/unit/check.h"

#include <stdlib.h>

typedef enum { URL, IMPORT } entry_t;

typedef struct {
    entry_t entry;
    const char *in;
    int ok;
    lg_ghlink_kind_t kind;
    const char *owner, *repo;
    const char *splits; /* "ref|path;ref|path", longest ref first; NULL for a repository */
    const char *msg;    /* on failure: a substring of the message */
} link_case_t;

/* clang-format off */
#define REPO(in, o, r)     {URL, in, 1, LG_GHLINK_REPO, o, r, NULL, NULL}
#define BLOB(in, o, r, s)  {URL, in, 1, LG_GHLINK_BLOB, o, r, s, NULL}
#define TREE(in, o, r, s)  {URL, in, 1, LG_GHLINK_TREE, o, r, s, NULL}
#define FAIL(in, m)        {URL, in, 0, LG_GHLINK_REPO, NULL, NULL, NULL, m}
#define IREPO(in, o, r)    {IMPORT, in, 1, LG_GHLINK_REPO, o, r, NULL, NULL}
#define IBLOB(in, o, r, s) {IMPORT, in, 1, LG_GHLINK_BLOB, o, r, s, NULL}
#define ITREE(in, o, r, s) {IMPORT, in, 1, LG_GHLINK_TREE, o, r, s, NULL}
#define IFAIL(in, m)       {IMPORT, in, 0, LG_GHLINK_REPO, NULL, NULL, NULL, m}

#define GH    "https://github.com/"
#define SHA1  "0123456789abcdef0123456789abcdef01234567"
#define O39   "abcdefghijabcdefghijabcdefghijabcdefghi"
#define R100  "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"
#define FORMS "labgate imports a repository (https://github.com/OWNER/REPO)"

static const link_case_t cases[] = {
    /* whole repositories */
    REPO(GH "jupyter/notebook", "jupyter", "notebook"),
    REPO(GH "jupyter/notebook.git", "jupyter", "notebook"),
    REPO(GH "jupyter/notebook/", "jupyter", "notebook"),
    REPO(GH "jupyter/notebook//", "jupyter", "notebook"),
    REPO(GH "jupyter/notebook.git/", "jupyter", "notebook"),
    REPO("http://github.com/jupyter/notebook", "jupyter", "notebook"),
    REPO("github.com/jupyter/notebook", "jupyter", "notebook"),
    REPO("www.github.com/jupyter/notebook", "jupyter", "notebook"),
    REPO("https://www.github.com/jupyter/notebook", "jupyter", "notebook"),
    REPO("HTTPS://GitHub.COM/Jupyter/NoteBook", "Jupyter", "NoteBook"),
    REPO("https://WWW.GITHUB.COM/o/r", "o", "r"),
    REPO(GH "jupyter/notebook?tab=readme-ov-file", "jupyter", "notebook"),
    REPO(GH "jupyter/notebook#readme", "jupyter", "notebook"),
    REPO(GH "jupyter/notebook?a=/blob/x#/tree/y", "jupyter", "notebook"),
    REPO("  " GH "jupyter/notebook\r\n", "jupyter", "notebook"),
    REPO("\t" GH "o/r ", "o", "r"),
    REPO("https://github.com:443/o/r", "o", "r"),
    REPO("http://github.com:80/o/r", "o", "r"),
    REPO("https://github.com./o/r", "o", "r"),
    REPO("//github.com/o/r", "o", "r"),
    REPO("git@github.com:jupyter/notebook.git", "jupyter", "notebook"),
    REPO("git@github.com:jupyter/notebook", "jupyter", "notebook"),
    REPO("git@GitHub.com:o/r.git/", "o", "r"),
    REPO("ssh://git@github.com/jupyter/notebook.git", "jupyter", "notebook"),
    REPO("ssh://git@github.com:22/o/r.git", "o", "r"),
    REPO("ssh://github.com/o/r", "o", "r"),
    REPO(GH "a-b/my.repo_x-y", "a-b", "my.repo_x-y"),
    REPO(GH "o/.github", "o", ".github"),
    REPO(GH "o/...", "o", "..."),
    REPO(GH "0/1", "0", "1"),
    REPO(GH O39 "/" R100, O39, R100),
    REPO(GH O39 "/" R100 ".git", O39, R100),
    REPO(GH "%6Fwner/re%70o", "owner", "repo"),
    REPO("https://nbviewer.org/github/o/r", "o", "r"),

    /* files */
    BLOB(GH "o/r/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB("github.com/o/r/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB(GH "o/r/blob/main/dir/sub/nb.ipynb", "o", "r",
         "main/dir/sub|nb.ipynb;main/dir|sub/nb.ipynb;main|dir/sub/nb.ipynb"),
    BLOB(GH "o/r/blob/feature/x/nb.ipynb", "o", "r", "feature/x|nb.ipynb;feature|x/nb.ipynb"),
    BLOB(GH "o/r/blob/feature%2Fx/nb.ipynb", "o", "r", "feature/x|nb.ipynb;feature|x/nb.ipynb"),
    BLOB(GH "o/r/blob/main/nb.ipynb?plain=1", "o", "r", "main|nb.ipynb"),
    BLOB(GH "o/r/blob/main/nb.ipynb#L10", "o", "r", "main|nb.ipynb"),
    BLOB(GH "o/r/blob/main/nb.ipynb?plain=1#L10-L20", "o", "r", "main|nb.ipynb"),
    BLOB(GH "o/r/blob/main/my%20notebook.ipynb", "o", "r", "main|my notebook.ipynb"),
    BLOB(GH "o/r/blob/main/my notebook.ipynb", "o", "r", "main|my notebook.ipynb"),
    BLOB(GH "o/r/blob/main/what%3F.ipynb", "o", "r", "main|what?.ipynb"),
    BLOB(GH "o/r/blob/main/%23hash.ipynb", "o", "r", "main|#hash.ipynb"),
    BLOB(GH "o/r/blob/main/100%25.ipynb", "o", "r", "main|100%.ipynb"),
    BLOB(GH "o/r/blob/main/a+b.ipynb", "o", "r", "main|a+b.ipynb"),
    BLOB(GH "o/r/blob/main/caf%C3%A9.ipynb", "o", "r", "main|caf\xc3\xa9.ipynb"),
    BLOB(GH "o/r/blob/main/caf\xc3\xa9.ipynb", "o", "r", "main|caf\xc3\xa9.ipynb"),
    BLOB(GH "o/r/blob/main/%E6%97%A5%E6%9C%AC/%F0%9F%93%93.ipynb", "o", "r",
         "main/\xe6\x97\xa5\xe6\x9c\xac|\xf0\x9f\x93\x93.ipynb;main|\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x93\x93.ipynb"),
    BLOB(GH "o/r/blob/" SHA1 "/nb.ipynb", "o", "r", SHA1 "|nb.ipynb"),
    BLOB(GH "o/r/blob/HEAD/nb.ipynb", "o", "r", "HEAD|nb.ipynb"),
    BLOB(GH "o/r/blob/v1.0.0/docs/nb.ipynb", "o", "r", "v1.0.0/docs|nb.ipynb;v1.0.0|docs/nb.ipynb"),
    BLOB(GH "o/r/blob/a%23b/nb.ipynb", "o", "r", "a#b|nb.ipynb"),
    BLOB(GH "o/r/blob/main/.github/nb.ipynb", "o", "r", "main|.github/nb.ipynb"),
    BLOB(GH "o/r/blob/main/a..b.ipynb", "o", "r", "main|a..b.ipynb"),
    BLOB(GH "o/r/blob/feature/.x/nb.ipynb", "o", "r", "feature|.x/nb.ipynb"),
    BLOB(GH "o/r/blob/x.lock.y/nb.ipynb", "o", "r", "x.lock.y|nb.ipynb"),
    BLOB(GH "o/r/raw/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB(GH "o/r.git/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB("https://raw.githubusercontent.com/o/r/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB("raw.githubusercontent.com/o/r/main/d/nb.ipynb", "o", "r", "main/d|nb.ipynb;main|d/nb.ipynb"),
    BLOB("https://raw.githubusercontent.com/o/r/refs/heads/main/nb.ipynb", "o", "r",
         "refs/heads/main|nb.ipynb;refs/heads|main/nb.ipynb;refs|heads/main/nb.ipynb"),
    BLOB("https://colab.research.google.com/github/o/r/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB("colab.research.google.com/github/o/r/blob/main/nb.ipynb#scrollTo=abc", "o", "r", "main|nb.ipynb"),
    BLOB("https://nbviewer.org/github/o/r/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    BLOB("https://nbviewer.jupyter.org/github/o/r/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),

    /* folders */
    TREE(GH "o/r/tree/main", "o", "r", "main|"),
    TREE(GH "o/r/tree/main/", "o", "r", "main|"),
    TREE(GH "o/r/tree/main/docs", "o", "r", "main/docs|;main|docs"),
    TREE(GH "o/r/tree/main/docs/", "o", "r", "main/docs|;main|docs"),
    TREE(GH "o/r/tree/main/docs//", "o", "r", "main/docs|;main|docs"),
    TREE(GH "o/r/tree/feature/x", "o", "r", "feature/x|;feature|x"),
    TREE(GH "o/r/tree/feature/x/nbs/week1", "o", "r",
         "feature/x/nbs/week1|;feature/x/nbs|week1;feature/x|nbs/week1;feature|x/nbs/week1"),
    TREE(GH "o/r/tree/" SHA1, "o", "r", SHA1 "|"),
    TREE("https://nbviewer.org/github/o/r/tree/main/nbs", "o", "r", "main/nbs|;main|nbs"),

    /* not GitHub */
    FAIL("", "the link is empty"),
    FAIL("   \n", "the link is empty"),
    FAIL("https://gitlab.com/o/r", "not a GitHub link"),
    FAIL("https://github.com.evil.com/o/r", "not a GitHub link"),
    FAIL("https://evil.com/github.com/o/r", "not a GitHub link"),
    FAIL("evil.com/github.com/o/r", "not a GitHub link"),
    FAIL("https://github.com%2Eevil.com/o/r", "not a GitHub link"),
    FAIL("https://xgithub.com/o/r", "not a GitHub link"),
    FAIL("https://api.github.com/repos/o/r", "not a GitHub link"),
    FAIL("https://[::1]/o/r", "not a GitHub link"),
    FAIL("http://127.0.0.1/o/r", "not a GitHub link"),
    FAIL("https:///o/r", "it has no host"),
    FAIL("https://github.com:8080/o/r", "not a GitHub link"),
    FAIL("https://github.com:/o/r", "not a GitHub link"),
    FAIL("https://user@github.com/o/r", "user name"),
    FAIL("https://user:pw@github.com/o/r", "user name"),
    FAIL("https://github.com@evil.com/o/r", "user name"),
    FAIL("https://evil.com\\@github.com/o/r", "user name"),
    FAIL("https://git@github.com/o/r", "user name"),
    FAIL("ftp://github.com/o/r", "only http and https"),
    FAIL("file:///etc/passwd", "only http and https"),
    FAIL("javascript:alert(1)", "not a GitHub link"),
    FAIL("o/r", "not a GitHub link"),
    FAIL("git@gitlab.com:o/r.git", "not a GitHub link"),
    FAIL("ssh://git@gitlab.com/o/r.git", "not a GitHub link"),
    FAIL("ssh://git@raw.githubusercontent.com/o/r", "not a GitHub link"),
    FAIL("git@github.com/o/r", "git@github.com:OWNER/REPO.git"),
    FAIL("git@github.com:o/r/blob/main/nb.ipynb", "names only a repository"),
    FAIL("https://gist.github.com/o/0123abc", "gists cannot be imported"),
    FAIL("https://colab.research.google.com/drive/1abc", "does not open a notebook from GitHub"),
    FAIL("https://nbviewer.org/url/example.com/nb.ipynb", "does not open a notebook from GitHub"),

    /* not a repository page */
    FAIL(GH, "names no repository"),
    FAIL("github.com", "names no repository"),
    FAIL(GH "?tab=repositories", "names no repository"),
    FAIL(GH "jupyter", "\"jupyter\" is a user or organization, not a repository"),
    FAIL(GH "jupyter/", "is a user or organization"),
    FAIL(GH "o/r/issues/1", "GitHub \"issues\" pages cannot be imported; " FORMS),
    FAIL(GH "o/r/issues", "\"issues\" pages"),
    FAIL(GH "o/r/pulls", "\"pulls\" pages"),
    FAIL(GH "o/r/pull/1/files", "\"pull\" pages"),
    FAIL(GH "o/r/commit/" SHA1, "\"commit\" pages"),
    FAIL(GH "o/r/releases/tag/v1", "\"releases\" pages"),
    FAIL(GH "o/r/actions", "\"actions\" pages"),
    FAIL(GH "o/r/wiki", "\"wiki\" pages"),
    FAIL(GH "o/r/Blob/main/nb.ipynb", "\"Blob\" pages"),
    FAIL(GH "o/r/blob", "names no branch"),
    FAIL(GH "o/r/blob/", "names no branch"),
    FAIL(GH "o/r/tree", "names no branch"),
    FAIL(GH "o/r/tree/", "names no branch"),
    FAIL(GH "o/r/blob/main", "names no file after the branch \"main\""),
    FAIL(GH "o/r/blob/main/", "file path \"\" is not valid: it is empty"),
    FAIL("https://raw.githubusercontent.com/o/r", "names no branch"),
    FAIL("https://raw.githubusercontent.com/o/r/main", "names no file after the branch"),

    /* owner and repository names */
    FAIL(GH "a--b/r", "owner \"a--b\" is not a valid GitHub user or organization name (1-39 letters, digits or "
                      "single hyphens, not at the start or end)"),
    FAIL(GH O39 "j/r", "is not a valid GitHub user"),
    FAIL(GH "-a/r", "is not a valid GitHub user"),
    FAIL(GH "a-/r", "is not a valid GitHub user"),
    FAIL(GH "a_b/r", "is not a valid GitHub user"),
    FAIL(GH "a.b/r", "is not a valid GitHub user"),
    FAIL(GH "%2e%2e/r", "owner \"..\" is not a valid"),
    FAIL(GH "a%00b/r", "owner \"a\\u0000b\""),
    FAIL(GH "/o/r", "owner \"\""),
    FAIL(GH "o/./x", "repository name \".\" is not valid"),
    FAIL(GH "o/..", "repository name \"..\" is not valid"),
    FAIL(GH "o/%2E%2E/blob/main/x", "repository name \"..\" is not valid"),
    FAIL(GH "o/.git", "repository name \".git\" is not valid"),
    FAIL(GH "o/r.git.git", "repository name \"r.git.git\" is not valid"),
    FAIL(GH "o/" R100 "r", "is not valid (1-100 letters"),
    FAIL(GH "o/r~x", "is not valid"),
    FAIL(GH "o/r%20x", "repository name \"r x\""),
    FAIL(GH "o//r", "repository name \"\""),

    /* refs */
    FAIL(GH "o/r/blob/main@{1}/nb.ipynb", "\"main@{1}\" is not a valid branch, tag or commit name: it contains \"@{\""),
    FAIL(GH "o/r/blob/main~1/nb.ipynb", "it contains one of ~ ^ : ? * [ \\"),
    FAIL(GH "o/r/blob/main%5E/nb.ipynb", "\"main^\" is not a valid branch"),
    FAIL(GH "o/r/blob/HEAD:nb.ipynb/x", "not a valid branch"),
    FAIL(GH "o/r/blob/a*b/nb.ipynb", "not a valid branch"),
    FAIL(GH "o/r/blob/a..b/nb.ipynb", "it contains \"..\""),
    FAIL(GH "o/r/blob/x.lock/nb.ipynb", "ends with \".lock\""),
    FAIL(GH "o/r/blob/-x/nb.ipynb", "it starts with '-'"),
    FAIL(GH "o/r/blob/@/nb.ipynb", "\"@\" alone"),
    FAIL(GH "o/r/blob/FETCH_HEAD/nb.ipynb", "git keeps its own files"),
    FAIL(GH "o/r/blob/.hidden/nb.ipynb", "starts with '.'"),
    FAIL(GH "o/r/blob/ma in/nb.ipynb", "space or a control character"),
    FAIL(GH "o/r/tree/main.", "it ends with '.'"),
    FAIL(GH "o/r/tree/%2e%2e", "\"..\" is not a valid branch"),
    FAIL(GH "o/r/blob/ma%C2%85in/nb.ipynb",
         "\"ma\\u0085in\" is not a valid branch, tag or commit name: it contains a control character (U+0080 to U+009F)"),
    FAIL(GH "o/r/blob/ma\xc2\x85in/nb.ipynb", "\"ma\\u0085in\" is not a valid branch"),
    FAIL(GH "o/r/tree/%C2%80", "\"\\u0080\" is not a valid branch, tag or commit name: it contains a control"),
    FAIL(GH "o/r/blob/x%E2%80%AEy~/nb.ipynb", "\"x\\u202Ey~\" is not a valid branch"),
    BLOB(GH "o/r/blob/x%E2%80%AEy/nb.ipynb", "o", "r", "x\xe2\x80\xaey|nb.ipynb"),

    /* paths */
    FAIL(GH "o/r/blob/main/../../etc/passwd", "\"..\" part"),
    FAIL(GH "o/r/blob/main/%2e%2e/x", "\"..\" part"),
    FAIL(GH "o/r/blob/main/%2E%2E%2Fetc%2Fpasswd", "\"..\" part"),
    FAIL(GH "o/r/blob/main/./x", "\"..\" part"),
    FAIL(GH "o/r/blob/main//etc/passwd", "it starts with '/'"),
    FAIL(GH "o/r/blob/main/a//b.ipynb", "empty part"),
    FAIL(GH "o/r/blob/main/nb.ipynb/", "empty part"),
    FAIL(GH "o/r/blob/main/a%00b", "file path \"a\\u0000b\" is not valid: it contains a control character"),
    FAIL(GH "o/r/blob/main/a%0Ab", "control character"),
    FAIL(GH "o/r/blob/main/a\x01" "b", "file path \"a\\u0001b\""),
    FAIL(GH "o/r/blob/main/%C0%AF", "file path \"\\xC0\\xAF\" is not valid: it is not valid UTF-8"),
    FAIL(GH "o/r/blob/main/%FF.ipynb", "not valid UTF-8"),
    FAIL(GH "o/r/blob/main/a\xff" "b", "\"a\\xFFb\""),
    FAIL(GH "o/r/blob/main/%E2%80%AE%01bn.ipynb", "file path \"\\u202E\\u0001bn.ipynb\""),
    FAIL(GH "o/r/blob/main/a%C2%85b.ipynb",
         "file path \"a\\u0085b.ipynb\" is not valid: it contains a control character (U+0080 to U+009F)"),
    FAIL(GH "o/r/blob/main/a\xc2\x85" "b.ipynb", "file path \"a\\u0085b.ipynb\" is not valid: it contains a control"),
    FAIL(GH "o/r/blob/main/d/%c2%80", "file path \"d/\\u0080\" is not valid"),
    FAIL(GH "o/r/tree/main/d%C2%9F", "folder path \"d\\u009F\" is not valid: it contains a control character"),
    FAIL(GH "o/r/blob/main/%F3%A0%81%81%01", "file path \"\\U000E0041\\u0001\" is not valid"),
    BLOB(GH "o/r/blob/main/x%E2%80%AEbnypi.exe", "o", "r", "main|x\xe2\x80\xae" "bnypi.exe"),
    BLOB(GH "o/r/blob/main/x\xe2\x80\xae" "bnypi.exe", "o", "r", "main|x\xe2\x80\xae" "bnypi.exe"),
    BLOB(GH "o/r/blob/main/%E2%80%8B%EF%BB%BF%E2%81%A6.ipynb", "o", "r",
         "main|\xe2\x80\x8b\xef\xbb\xbf\xe2\x81\xa6.ipynb"),
    FAIL(GH "o/r/blob/main/a\\b", "backslash"),
    FAIL(GH "o/r/blob/main/a%5Cb", "backslash"),
    FAIL(GH "o/r/blob/main/.git/config", ".git folder"),
    FAIL(GH "o/r/blob/main/d/.GIT/config", ".git folder"),
    FAIL(GH "o/r/tree/main/.git", "folder path \".git\" is not valid: it goes into a .git folder"),
    FAIL(GH "o/r/tree/main/.git/hooks", "folder path \".git/hooks\" is not valid"),
    FAIL(GH "o/r/blob/main/x%2", "broken percent-escape"),
    FAIL(GH "o/r/blob/main/x%zz", "broken percent-escape"),
    FAIL(GH "o/r/blob/main/nb.ipynb%", "broken percent-escape"),
    FAIL(GH "o%/r", "broken percent-escape"),

    /* labgate's own import paths */
    IREPO("/import/github/o/r", "o", "r"),
    IREPO("/import/github/o/r/", "o", "r"),
    IREPO("/import/github/o/r.git", "o", "r"),
    IREPO("/import/github/o/r?ref=x", "o", "r"),
    IBLOB("/import/github/o/r/blob/main/nb.ipynb", "o", "r", "main|nb.ipynb"),
    IBLOB("/import/github/o/r/blob/feature/x/nb.ipynb", "o", "r", "feature/x|nb.ipynb;feature|x/nb.ipynb"),
    IBLOB("/import/github/o/r/blob/main/my%20nb.ipynb?utm=1", "o", "r", "main|my nb.ipynb"),
    IBLOB("/import/github/o/r/blob/main/q%3F.ipynb", "o", "r", "main|q?.ipynb"),
    IBLOB("/import/github/o/r/blob/main/nb.ipynb#x", "o", "r", "main|nb.ipynb"),
    ITREE("/import/github/o/r/tree/main", "o", "r", "main|"),
    ITREE("/import/github/o/r/tree/main/dir?x=1", "o", "r", "main/dir|;main|dir"),
    IFAIL("/import/github/o/r/blob/main/../../etc/passwd", "\"..\" part"),
    IFAIL("/import/github/o/r/blob/main/%2e%2e/%2e%2e/etc/passwd", "\"..\" part"),
    IFAIL("/import/github/o/r/blob/main/./nb.ipynb", "\"..\" part"),
    IFAIL("/import/github/o/r/tree/main/..", "\"..\" part"),
    IFAIL("/import/github/../r", "owner \"..\""),
    IFAIL("/import/github/o/%2e%2e", "repository name \"..\""),
    IFAIL("/import/github/o/..", "repository name \"..\""),
    IFAIL("/import/github//o/r", "owner \"\""),
    IFAIL("/import/github/", "names no repository"),
    IFAIL("/import/github", "starts with /import/github/"),
    IFAIL("/import/gitlab/o/r", "starts with /import/github/"),
    IFAIL("/import/github%2Fo/r", "starts with /import/github/"),
    IFAIL("/import/github/o", "is a user or organization"),
    IFAIL("/import/github/o/r/issues", "\"issues\" pages"),
    IFAIL("/import/github/o/r/blob/main/a%00b", "control character"),
    IFAIL("/import/github/o/r/blob/main/a%C2%85b", "file path \"a\\u0085b\" is not valid: it contains a control"),
    IFAIL("/import/github/o/r/blob/main/a\xc2\x85" "b", "U+0080 to U+009F"),
    IFAIL("/import/github/o/r/blob/ref%C2%9F/nb.ipynb", "\"ref\\u009F\" is not a valid branch"),
    IBLOB("/import/github/o/r/blob/main/x%E2%80%AEbnypi.exe", "o", "r", "main|x\xe2\x80\xae" "bnypi.exe"),
    IFAIL("/import/github/o/r/blob/main/x%", "broken percent-escape"),
    IFAIL("/import/github/o/r/blob/main/a\\b", "backslash"),
    IFAIL("/import/github/o/r/blob/main%40%7B1%7D/nb", "it contains \"@{\""),
};
/* clang-format on */

static void
format_splits(char *dst, size_t cap, const lg_ghlink_t *link)
{
    size_t used = 0;
    dst[0] = '\0';
    for (size_t i = 0; i < link->nsplits && used < cap; i++)
        used += (size_t)snprintf(dst + used, cap - used, "%s%s|%s", i ? ";" : "", link->splits[i].ref,
                                 link->splits[i].path);
}

/* Valid UTF-8 with nothing hidden (controls, bidi, invisible characters): safe to show as it is. */
static int
message_is_safe(const char *msg)
{
    size_t n = strlen(msg), pos = 0;
    if (!lg_utf8_valid(msg, n))
        return 0;
    while (pos < n)
        if (lg_unicode_is_hidden(lg_utf8_next(msg, n, &pos)))
            return 0;
    return 1;
}

static int
parse(const link_case_t *c, lg_ghlink_t *link, lg_err_t *err)
{
    if (c->entry == IMPORT)
        return lg_ghlink_parse_import_path(link, c->in, strlen(c->in), err);
    return lg_ghlink_parse_url(link, c->in, strlen(c->in), err);
}

/* The canonical import path and the github.com URL both parse back to the same link. */
static void
check_round_trip(size_t row, const lg_ghlink_t *link)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_ghlink_t again;
    lg_err_t err = {0};

    lg_ghlink_import_path(&b, link);
    CHECK_MSG(lg_ghlink_parse_import_path(&again, b.data, b.len, &err) == 0 && lg_ghlink_equal(link, &again),
              "row %zu: %s does not parse back: %s", row, b.data, err.msg);
    lg_ghlink_free(&again);
    lg_buf_reset(&b);
    lg_ghlink_web_url(&b, "https://github.com", link);
    CHECK_MSG(lg_ghlink_parse_url(&again, b.data, b.len, &err) == 0 && lg_ghlink_equal(link, &again),
              "row %zu: %s does not parse back: %s", row, b.data, err.msg);
    lg_ghlink_free(&again);
    lg_buf_free(&b);
}

static void
check_row(size_t row, const link_case_t *c)
{
    lg_ghlink_t link;
    lg_err_t err = {0};
    char splits[1024];
    int rc = parse(c, &link, &err);

    if (!c->ok) {
        CHECK_MSG(rc < 0, "row %zu: %s should fail", row, c->in);
        CHECK_MSG(rc < 0 && strstr(err.msg, c->msg) != NULL, "row %zu: message \"%s\", want \"%s\"", row,
                  err.msg, c->msg);
        CHECK_MSG(message_is_safe(err.msg), "row %zu: unsafe message \"%s\"", row, err.msg);
        CHECK_MSG(link.rest == NULL && link.splits == NULL && link.nsplits == 0, "row %zu: not left empty",
                  row);
        lg_ghlink_free(&link);
        return;
    }
    CHECK_MSG(rc == 0, "row %zu: %s failed: %s", row, c->in, err.msg);
    if (rc < 0)
        return;
    format_splits(splits, sizeof(splits), &link);
    CHECK_MSG(link.kind == c->kind, "row %zu: kind %s", row, lg_ghlink_kind_name(link.kind));
    CHECK_STR(link.owner, c->owner);
    CHECK_STR(link.repo, c->repo);
    CHECK_STR(c->kind == LG_GHLINK_REPO ? NULL : splits, c->splits);
    CHECK_MSG((link.rest == NULL) == (c->kind == LG_GHLINK_REPO), "row %zu: rest", row);
    check_round_trip(row, &link);
    lg_ghlink_free(&link);
}

static void
test_table(void)
{
    size_t n = sizeof(cases) / sizeof(cases[0]);
    for (size_t i = 0; i < n; i++)
        check_row(i, &cases[i]);
    CHECK_MSG(n > 200, "%zu rows", n);
}

static void
test_limits(void)
{
    static char url[LG_GHLINK_MAX + 64];
    lg_ghlink_t link;
    lg_err_t err = {0};
    size_t n = (size_t)snprintf(url, sizeof(url), GH "o/r/blob/main/");

    memset(url + n, 'a', sizeof(url) - n);
    CHECK_INT(lg_ghlink_parse_url(&link, url, LG_GHLINK_MAX + 1, &err), -1);
    CHECK_INT(err.code, LG_ETOOBIG);
    CHECK(strstr(err.msg, "too long") != NULL);
    CHECK_INT(lg_ghlink_parse_import_path(&link, url, sizeof(url), &err), -1);
    CHECK_INT(err.code, LG_ETOOBIG);

    /* a 255-byte part is fine, a 256-byte one is not */
    CHECK_INT(lg_ghlink_parse_url(&link, url, n + 255, &err), 0);
    lg_ghlink_free(&link);
    CHECK_INT(lg_ghlink_parse_url(&link, url, n + 256, &err), -1);
    CHECK(strstr(err.msg, "longer than 255 bytes") != NULL);
    CHECK_INT(err.code, LG_EINVAL);

    /* a 4096-byte path is fine, a longer one is not (its parts start with '.', so no ref can take them) */
    url[n] = '.';
    for (size_t i = n + 100; i + 1 < sizeof(url); i += 100)
        url[i] = '/', url[i + 1] = '.';
    CHECK_INT(lg_ghlink_parse_url(&link, url, n + 4096, &err), 0);
    lg_ghlink_free(&link);
    CHECK_INT(lg_ghlink_parse_url(&link, url, n + 4097, &err), -1);
    CHECK(strstr(err.msg, "longer than 4096 bytes") != NULL);
}

static void
test_many_parts(void)
{
    static char url[LG_GHLINK_MAX];
    lg_ghlink_t link;
    lg_err_t err = {0};
    size_t n = (size_t)snprintf(url, sizeof(url), GH "o/r/blob/");

    while (n < 4000)
        url[n++] = 'a', url[n++] = '/';
    url[n++] = 'z';
    /* refs are at most 255 bytes: "a", "a/a", ... 128 of them */
    CHECK_INT(lg_ghlink_parse_url(&link, url, n, &err), 0);
    CHECK_INT(link.nsplits, 128);
    CHECK_INT(strlen(link.splits[0].ref), 255);
    CHECK_STR(link.splits[127].ref, "a");
    lg_ghlink_free(&link);
}

static void
test_builders(void)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_ghlink_t link;
    const char *in = GH "o/r.git/blob/feature/x/my%20nb%3F%23.ipynb?plain=1";

    CHECK_INT(lg_ghlink_parse_url(&link, in, strlen(in), NULL), 0);
    lg_ghlink_import_path(&b, &link);
    CHECK_STR(lg_buf_str(&b), "/import/github/o/r/blob/feature/x/my%20nb%3F%23.ipynb");
    lg_buf_reset(&b);
    lg_ghlink_web_url(&b, "https://github.com/", &link);
    CHECK_STR(lg_buf_str(&b), "https://github.com/o/r/blob/feature/x/my%20nb%3F%23.ipynb");
    lg_buf_reset(&b);
    lg_ghlink_clone_url(&b, "https://github.com", &link);
    CHECK_STR(lg_buf_str(&b), "https://github.com/o/r.git");
    lg_ghlink_free(&link);

    in = "git@github.com:Jupyter/NoteBook.git";
    CHECK_INT(lg_ghlink_parse_url(&link, in, strlen(in), NULL), 0);
    lg_buf_reset(&b);
    lg_ghlink_import_path(&b, &link);
    CHECK_STR(lg_buf_str(&b), "/import/github/Jupyter/NoteBook");
    lg_buf_reset(&b);
    lg_ghlink_web_url(&b, "http://127.0.0.1:9418", &link);
    CHECK_STR(lg_buf_str(&b), "http://127.0.0.1:9418/Jupyter/NoteBook");
    lg_ghlink_free(&link);

    in = GH "o/r/tree/main/caf\xc3\xa9/";
    CHECK_INT(lg_ghlink_parse_url(&link, in, strlen(in), NULL), 0);
    CHECK_STR(link.rest, "main/caf\xc3\xa9");
    lg_buf_reset(&b);
    lg_ghlink_import_path(&b, &link);
    CHECK_STR(lg_buf_str(&b), "/import/github/o/r/tree/main/caf%C3%A9");
    lg_ghlink_free(&link);
    lg_buf_free(&b);

    CHECK_STR(lg_ghlink_kind_name(LG_GHLINK_REPO), "repository");
    CHECK_STR(lg_ghlink_kind_name(LG_GHLINK_BLOB), "blob");
    CHECK_STR(lg_ghlink_kind_name(LG_GHLINK_TREE), "tree");
}

static void
test_lengths_not_nul(void)
{
    /* only len bytes are read: what follows does not count, and a NUL inside is data, not an end */
    const char *in = GH "o/rest-of-buffer";
    lg_ghlink_t link;
    lg_err_t err = {0};
    CHECK_INT(lg_ghlink_parse_url(&link, in, strlen(GH) + 3, &err), 0);
    CHECK_STR(link.repo, "r");
    lg_ghlink_free(&link);

    const char nul[] = GH "o/r/blob/main/a\0b";
    CHECK_INT(lg_ghlink_parse_url(&link, nul, sizeof(nul) - 1, &err), -1);
    CHECK(strstr(err.msg, "control character") != NULL);
    CHECK(message_is_safe(err.msg));

    const char nul_owner[] = GH "o\0x/r";
    CHECK_INT(lg_ghlink_parse_url(&link, nul_owner, sizeof(nul_owner) - 1, &err), -1);
    CHECK(strstr(err.msg, "owner \"o\\u0000x\"") != NULL);
    lg_ghlink_free(&link);
}

/* Every hidden character in every part a message quotes comes out as \uXXXX, never raw. */
static void
test_messages_show_hidden(void)
{
    static const char *const inputs[] = {
        GH "o\xe2\x80\xaex/r",                     /* owner */
        GH "o/r\xe2\x81\xa6",                      /* repository */
        GH "o/r/blob/a\xe2\x80\x8b~/nb.ipynb",     /* ref */
        GH "o/r/blob/main/\xef\xbb\xbf\x01",       /* path */
        GH "o/r/is\xe2\x80\xaesue",                /* page */
        "https://github.com\xe2\x80\xae.evil/o/r", /* host */
        "ht\xe2\x80\xaetp://github.com/o/r",       /* scheme: not one, so the host is quoted */
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        lg_ghlink_t link;
        lg_err_t err = {0};
        CHECK_INT(lg_ghlink_parse_url(&link, inputs[i], strlen(inputs[i]), &err), -1);
        CHECK_MSG(message_is_safe(err.msg), "input %zu: \"%s\"", i, err.msg);
        CHECK_MSG(strstr(err.msg, "\\u") != NULL, "input %zu: \"%s\"", i, err.msg);
    }
}

static void
test_long_message_is_cut(void)
{
    static char url[1024];
    lg_ghlink_t link;
    lg_err_t err = {0};
    size_t n = (size_t)snprintf(url, sizeof(url), GH "o/r/blob/main/");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(url + n, sizeof(url) - n, "%%C3%%A9%%01");
    n += (size_t)snprintf(url + n, sizeof(url) - n, "/x");
    CHECK_INT(lg_ghlink_parse_url(&link, url, n, &err), -1);
    CHECK(strstr(err.msg, "...\" is not valid: it contains a control character") != NULL);
    CHECK(message_is_safe(err.msg));
}

int
main(void)
{
    RUN(test_table);
    RUN(test_limits);
    RUN(test_many_parts);
    RUN(test_builders);
    RUN(test_lengths_not_nul);
    RUN(test_messages_show_hidden);
    RUN(test_long_message_is_cut);
    return check_report();
}
