/* fetch.h - the libgit2 side of a mirror fetch, run in a child process (`labgate mirror-fetch`) so the
 * parent can hold it to a deadline: libgit2 1.5 has no network timeout. */
#ifndef LG_FETCH_H
#define LG_FETCH_H

#include <stdint.h>
#include <stdio.h>

/* Fetches url into the bare mirror at gitdir (created first when create is set): refs/heads/ and
 * refs/tags/ exactly as upstream (pruned), HEAD on upstream's default branch, no off-site redirects.
 * Stops when more than max_bytes arrive. Reports to `report`, one line each:
 *   progress RECEIVED_OBJECTS TOTAL_OBJECTS INDEXED_OBJECTS RECEIVED_BYTES
 *   head REFNAME
 *   error CODE MESSAGE        (CODE: notfound, toobig, empty, io)
 * Returns 0 on success, -1 after an error line. */
int lg_fetch_run(const char *gitdir, const char *url, int create, int64_t max_bytes, FILE *report);

#endif
