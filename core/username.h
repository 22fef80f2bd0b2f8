/* username.h - which user names labgate accepts: they name folders (PROJECTS/USER) and appear in URLs. */
#ifndef LG_USERNAME_H
#define LG_USERNAME_H

#include <stddef.h>

#define LG_USERNAME_MAX 64

/* NULL when name[0..len) is acceptable, else a short phrase saying why not. Acceptable: 1 to
 * LG_USERNAME_MAX bytes of ASCII letters, digits and . _ - @ +, starting with a letter or a digit. */
const char *lg_username_check(const char *name, size_t len);

#endif
