/* ghname.c - GitHub owner and repository names. */
#include "ghname.h"

#include <string.h>

static int
is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int
lg_ghname_owner_valid(const char *name, size_t len)
{
    if (len == 0 || len > LG_GHNAME_OWNER_MAX || name[0] == '-' || name[len - 1] == '-')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '-' && name[i + 1] == '-')
            return 0;
        if (!is_alnum(name[i]) && name[i] != '-')
            return 0;
    }
    return 1;
}

int
lg_ghname_repo_valid(const char *name, size_t len)
{
    if (len == 0 || len > LG_GHNAME_REPO_MAX)
        return 0;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    if (len >= 4 && memcmp(name + len - 4, ".git", 4) == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum(name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
            return 0;
    return 1;
}
