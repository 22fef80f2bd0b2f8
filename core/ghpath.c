/* ghpath.c - paths inside a repository: relative, clean, printable, bounded. */
#include "ghpath.h"

#include "pathparts.h"
#include "unicode.h"
#include "utf8.h"

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
    if (lg_unicode_has_control(path, len))
        return "it contains a control character (U+0080 to U+009F)";
    return lg_pathparts_check(path, len, check_segment);
}

int
lg_ghpath_valid(const char *path, size_t len)
{
    return lg_ghpath_check(path, len) == NULL;
}
