/* refname.c - git ref name rules, as `git check-ref-format --branch` applies them, plus labgate's own. */
#include "refname.h"

#include "pathparts.h"
#include "unicode.h"
#include "utf8.h"

#include <string.h>

static int
has(const char *s, size_t n, const char *needle)
{
    return memmem(s, n, needle, strlen(needle)) != NULL;
}

static int
ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* git's pseudo-refs and state files: one level, A-Z and '_' only, ending in "_HEAD" (FETCH_HEAD, ...). */
static int
is_git_file(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
            return 0;
    return ends_with(s, n, "_HEAD");
}

static const char *
check_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7F)
            return "it contains a space or a control character";
        if (strchr("~^:?*[\\", c) != NULL)
            return "it contains one of ~ ^ : ? * [ \\";
    }
    if (!lg_utf8_valid(s, n))
        return "it is not valid UTF-8";
    if (lg_unicode_has_control(s, n))
        return "it contains a control character (U+0080 to U+009F)";
    return NULL;
}

static const char *
check_component(const char *c, size_t n)
{
    if (n == 0)
        return "it contains \"//\"";
    if (c[0] == '.')
        return "a part of it starts with '.'";
    if (ends_with(c, n, ".lock"))
        return "a part of it ends with \".lock\"";
    return NULL;
}

const char *
lg_refname_check(const char *name, size_t len)
{
    const char *why;

    if (len == 0)
        return "it is empty";
    if (len > LG_REFNAME_MAX)
        return "it is longer than 255 bytes";
    if ((why = check_bytes(name, len)) != NULL)
        return why;
    if (name[0] == '-')
        return "it starts with '-'";
    if (name[0] == '/' || name[len - 1] == '/')
        return "it starts or ends with '/'";
    if (name[len - 1] == '.')
        return "it ends with '.'";
    if (has(name, len, ".."))
        return "it contains \"..\"";
    if (has(name, len, "@{"))
        return "it contains \"@{\"";
    if (len == 1 && name[0] == '@')
        return "\"@\" alone means HEAD to git";
    if (is_git_file(name, len))
        return "git keeps its own files under names like this";
    return lg_pathparts_check(name, len, check_component);
}

int
lg_refname_valid(const char *name, size_t len)
{
    return lg_refname_check(name, len) == NULL;
}

int
lg_refname_is_commit_id(const char *name, size_t len)
{
    if (len != 40 && len != 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}
