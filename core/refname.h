/* refname.h - which branch, tag and commit names a link may carry: git's own rules for a branch name
 * (`git check-ref-format --branch`), tightened where libgit2 or a browser would read the name specially. */
#ifndef LG_REFNAME_H
#define LG_REFNAME_H

#include <stddef.h>

#define LG_REFNAME_MAX 255

/* NULL when name[0..len) is acceptable as a ref in a link, otherwise a short phrase saying why not
 * ("it contains \"..\""), static, for the caller to put in a message. Accepted: every name
 * `git check-ref-format --branch` accepts, and "HEAD" (the default branch, as GitHub links use it);
 * refused besides: "@" alone, git's own files (FETCH_HEAD, ORIG_HEAD, ...), invalid UTF-8, the C1 control
 * characters U+0080..U+009F (git refuses only the ASCII ones) and names longer than LG_REFNAME_MAX bytes.
 * A 40- or 64-hex commit id passes these rules. */
const char *lg_refname_check(const char *name, size_t len);

/* 1 when lg_refname_check accepts name[0..len), 0 otherwise. */
int lg_refname_valid(const char *name, size_t len);

/* 1 when name[0..len) is a full commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits. */
int lg_refname_is_commit_id(const char *name, size_t len);

#endif
