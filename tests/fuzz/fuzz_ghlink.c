/* fuzz_ghlink.c - fuzzes both entry points of core/ghlink.c and checks what a parse promises: valid names,
 * refs and paths (no control characters, C1 included), splits that rebuild the rest longest ref first, links
 * that parse back to the same result, and error messages that are safe to show (nothing hidden). */
#include "core/ghlink.h"

#include "core/ghname.h"
#include "core/ghpath.h"
#include "core/refname.h"
#include "core/unicode.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                                        \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_ghlink: %s:%d: %s\n", __FILE__, __LINE__, #cond);                          \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static void
check_split(const lg_ghlink_t *link, size_t i)
{
    const lg_ghlink_split_t *s = &link->splits[i];
    size_t ref_len = strlen(s->ref), path_len = strlen(s->path), rest_len = strlen(link->rest);

    REQUIRE(lg_refname_valid(s->ref, ref_len));
    REQUIRE(!lg_unicode_has_control(s->ref, ref_len) && !lg_unicode_has_control(s->path, path_len));
    REQUIRE(memcmp(link->rest, s->ref, ref_len) == 0);
    if (path_len == 0) {
        REQUIRE(link->kind == LG_GHLINK_TREE && i == 0 && ref_len == rest_len);
    } else {
        REQUIRE(lg_ghpath_valid(s->path, path_len));
        REQUIRE(ref_len + 1 + path_len == rest_len && link->rest[ref_len] == '/');
        REQUIRE(s->path == link->rest + ref_len + 1);
    }
    if (i > 0)
        REQUIRE(ref_len < strlen(link->splits[i - 1].ref));
}

static void
check_reparse(const lg_ghlink_t *link)
{
    lg_buf_t b = LG_BUF_INIT;
    lg_ghlink_t again;
    lg_err_t err;

    lg_ghlink_import_path(&b, link);
    REQUIRE(lg_ghlink_parse_import_path(&again, b.data, b.len, &err) == 0);
    REQUIRE(lg_ghlink_equal(link, &again));
    lg_ghlink_free(&again);
    lg_buf_reset(&b);
    lg_ghlink_web_url(&b, "https://github.com", link);
    REQUIRE(lg_ghlink_parse_url(&again, b.data, b.len, &err) == 0);
    REQUIRE(lg_ghlink_equal(link, &again));
    lg_ghlink_free(&again);
    lg_buf_reset(&b);
    lg_ghlink_clone_url(&b, "https://github.com", link);
    for (size_t i = 0; i < b.len; i++)
        REQUIRE(b.data[i] > ' ' && b.data[i] < 0x7F && strchr("%?#@\\", b.data[i]) == NULL);
    lg_buf_free(&b);
}

static void
check_result(int rc, lg_ghlink_t *link, const lg_err_t *err)
{
    if (rc < 0) {
        size_t n = strlen(err->msg);
        REQUIRE(n > 0 && lg_utf8_valid(err->msg, n));
        for (size_t pos = 0; pos < n;)
            REQUIRE(!lg_unicode_is_hidden(lg_utf8_next(err->msg, n, &pos)));
        REQUIRE(link->rest == NULL && link->splits == NULL && link->nsplits == 0);
        return;
    }
    REQUIRE(rc == 0);
    REQUIRE(lg_ghname_owner_valid(link->owner, strlen(link->owner)));
    REQUIRE(lg_ghname_repo_valid(link->repo, strlen(link->repo)));
    if (link->kind == LG_GHLINK_REPO) {
        REQUIRE(link->rest == NULL && link->nsplits == 0);
    } else {
        REQUIRE(link->kind == LG_GHLINK_BLOB || link->kind == LG_GHLINK_TREE);
        REQUIRE(link->rest != NULL && link->nsplits > 0);
        for (size_t i = 0; i < link->nsplits; i++)
            check_split(link, i);
    }
    check_reparse(link);
    lg_ghlink_free(link);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_ghlink_t link;
    lg_err_t err = {0};

    check_result(lg_ghlink_parse_url(&link, (const char *)data, size, &err), &link, &err);
    check_result(lg_ghlink_parse_import_path(&link, (const char *)data, size, &err), &link, &err);
    return 0;
}
