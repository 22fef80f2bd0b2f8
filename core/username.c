/* username.c - which user names labgate accepts; see username.h. */
#include "username.h"

#include <string.h>

static int
is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const char *
lg_username_check(const char *name, size_t len)
{
    if (len == 0)
        return "it is empty";
    if (len > LG_USERNAME_MAX)
        return "it is longer than 64 characters";
    if (!is_alnum(name[0]))
        return "it must start with a letter or a digit";
    for (size_t i = 1; i < len; i++)
        if (!is_alnum(name[i]) && memchr("._-@+", name[i], 5) == NULL)
            return "it may hold only letters, digits and . _ - @ +";
    return NULL;
}
