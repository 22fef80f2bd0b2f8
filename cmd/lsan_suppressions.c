/* lsan_suppressions.c - linked into sanitizer builds only. Caches of libraries, not leaks of ours:
 * - h2o keeps freed buffers in per-thread recycle bins (static __thread in libh2o, with no way to empty
 *   them); when a gateway thread ends, LeakSanitizer sees those chunks as leaks. Exactly the recycle
 *   allocator is suppressed.
 * - libgit2 1.5 matches config keys with PCRE2 and keeps the match data it allocates for each pattern
 *   (one block per match, never freed, not reachable after git_libgit2_shutdown). Allocations made
 *   inside libpcre2 are suppressed; our code never calls it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/* Quiet about the suppressions themselves: they are expected on every run. */
const char *
__lsan_default_options(void)
{
    return "print_suppressions=0";
}

const char *
__lsan_default_suppressions(void)
{
    return "leak:h2o_mem_alloc_recycle\n"
           "leak:libpcre2-8.so\n";
}
