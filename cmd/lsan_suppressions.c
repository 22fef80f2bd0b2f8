/* lsan_suppressions.c - linked into sanitizer builds only. h2o keeps freed buffers in per-thread
 * recycle bins (static __thread in libh2o, with no way to empty them); when a gateway thread ends,
 * LeakSanitizer sees those chunks as leaks. They are caches of the library, not leaks of ours, so
 * exactly the recycle allocator is suppressed. */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
    return "leak:h2o_mem_alloc_recycle\n";
}
