/* ghname.h - GitHub's rules for user, organization and repository names. */
#ifndef LG_GHNAME_H
#define LG_GHNAME_H

#include <stddef.h>

#define LG_GHNAME_OWNER_MAX 39
#define LG_GHNAME_REPO_MAX  100

/* 1 when name[0..len) is a valid user or organization name: 1-39 letters, digits or single hyphens,
 * not at the start or end. */
int lg_ghname_owner_valid(const char *name, size_t len);

/* 1 when name[0..len) is a valid repository name: 1-100 letters, digits, '.', '-' or '_', neither "." nor
 * "..", and not ending in ".git" (GitHub drops that suffix, so links strip it before asking). */
int lg_ghname_repo_valid(const char *name, size_t len);

#endif
