/* safename.c - the rules for names from a repository's tree; see safename.h. */
#include "importer/safename.h"

#include "core/ghpath.h"
#include "core/utf8.h"

#include <string.h>
#include <strings.h>

/* Code points HFS+ ignores when it compares names (git's is_hfs_dotgit list). */
static int
hfs_ignorable(int32_t cp)
{
    return (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF;
}

/* 1 when part is ".git" once HFS-ignorable characters are dropped and letters folded, however many. */
static int
hfs_dotgit(const char *part, size_t len)
{
    static const char want[] = ".git";
    size_t matched = 0, pos = 0;
    while (pos < len) {
        int32_t cp = lg_utf8_next(part, len, &pos);
        if (cp >= 0 && hfs_ignorable(cp))
            continue;
        if (matched == 4 || cp < 0 || cp >= 0x80)
            return 0;
        char c = cp >= 'A' && cp <= 'Z' ? (char)(cp - 'A' + 'a') : (char)cp;
        if (c != want[matched++])
            return 0;
    }
    return matched == 4;
}

/* 1 when part is `stem` (case-insensitive) followed only by dots and spaces, or by ":anything". */
static int
ntfs_matches(const char *part, size_t len, const char *stem)
{
    size_t sl = strlen(stem);
    if (len < sl || strncasecmp(part, stem, sl) != 0)
        return 0;
    for (size_t i = sl; i < len; i++) {
        if (part[i] == ':')
            return 1;
        if (part[i] != '.' && part[i] != ' ')
            return 0;
    }
    return 1;
}

int
lg_safename_is_dotgit(const char *part, size_t len)
{
    if (ntfs_matches(part, len, ".git"))
        return 1;
    /* NTFS 8.3 short names: GIT~1 for ".git", and the other digits in case of collisions. */
    if (len >= 5 && strncasecmp(part, "git~", 4) == 0 && part[4] >= '1' && part[4] <= '9' &&
        ntfs_matches(part + 5, len - 5, ""))
        return 1;
    if (hfs_dotgit(part, len))
        return 1;
    return 0;
}

int
lg_safename_is_git_meta(const char *part, size_t len)
{
    static const char *const names[] = {".gitmodules", ".gitattributes", ".gitignore", ".mailmap"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (ntfs_matches(part, len, names[i]))
            return 1;
    return 0;
}

const char *
lg_safename_check(const char *path, size_t len)
{
    const char *why = lg_ghpath_check(path, len);
    if (why != NULL)
        return why;
    const char *end = path + len;
    for (const char *p = path; p < end;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t n = (size_t)((slash ? slash : end) - p);
        if (lg_safename_is_dotgit(p, n))
            return "a part of it is a spelling of \".git\"";
        p += n + 1;
    }
    return NULL;
}

int
lg_safename_link_inside(const char *link_path, const char *target, size_t len)
{
    if (len == 0 || target[0] == '/' || memchr(target, '\0', len) != NULL)
        return 0;
    size_t depth = 0;
    for (const char *s = link_path; *s; s++)
        depth += *s == '/';
    const char *end = target + len;
    const char *p = target;
    size_t ups = 0;
    while (end - p >= 2 && p[0] == '.' && p[1] == '.' && (end - p == 2 || p[2] == '/')) {
        ups++;
        p += end - p == 2 ? 2 : 3;
    }
    if (ups > depth)
        return 0;
    if (p == end)
        return 1; /* only ".." parts: a folder above the link, still inside */
    return lg_safename_check(p, (size_t)(end - p)) == NULL;
}
