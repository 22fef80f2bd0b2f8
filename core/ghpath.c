/* ghpath.c - paths inside a repository: relative, clean, printable, bounded. */
#include "ghpath.h"

#include "utf8.h"

#include <string.h>
#include <strings.h>

static const char *
check_segment(const char *s, size_t n)
{
    if (n == 0)
        return "it has an empty part (\"//\" or a '/' at the end)";
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return "it has a \".\" or \"..\" part";
    if (n == 4 && strncasecmp(s, ".git", 4) == 0)
        return "it goes into a .git folder";
    if (n > LG_GHPATH_SEGMENT_MAX)
        return "a part of it is longer than 255 bytes";
    return NULL;
}

const char *
lg_ghpath_check(const char *path, size_t len)
{
    const char *why;

    if (len == 0)
        return "it is empty";
    if (len > LG_GHPATH_MAX)
        return "it is longer than 4096 bytes";
    if (path[0] == '/')
        return "it starts with '/'";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c < ' ' || c == 0x7F)
            return "it contains a control character";
        if (c == '\\')
            return "it contains a backslash";
    }
    if (!lg_utf8_valid(path, len))
        return "it is not valid UTF-8";
    for (size_t start = 0; start <= len;) {
        const char *slash = memchr(path + start, '/', len - start);
        size_t end = slash ? (size_t)(slash - path) : len;
        if ((why = check_segment(path + start, end - start)) != NULL)
            return why;
        start = end + 1;
    }
    return NULL;
}

int
lg_ghpath_valid(const char *path, size_t len)
{
    return lg_ghpath_check(path, len) == NULL;
}
