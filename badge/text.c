/* text.c - JavaScript string semantics over UTF-8: trim, length, upper case. */
#include "text.h"

#include "case_map.h"
#include "core/utf8.h"

int
lg_text_is_space(uint32_t cp)
{
    if (cp <= 0x20)
        return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
    switch (cp) {
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
        return 1;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

/* The code point ending at s[end-1], and its start in *start; -1 if the bytes there are not UTF-8. */
static int32_t
prev_code_point(const char *s, size_t end, size_t *start)
{
    size_t i = end - 1;
    while (i > 0 && end - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    size_t pos = i;
    int32_t cp = lg_utf8_next(s, end, &pos);
    if (pos != end)
        return -1;
    *start = i;
    return cp;
}

void
lg_text_trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t begin = 0, end = *n;

    while (begin < end) {
        size_t next = begin;
        int32_t cp = lg_utf8_next(p, end, &next);
        if (cp < 0 || !lg_text_is_space((uint32_t)cp))
            break;
        begin = next;
    }
    while (end > begin) {
        size_t start;
        int32_t cp = prev_code_point(p, end, &start);
        if (cp < 0 || start < begin || !lg_text_is_space((uint32_t)cp))
            break;
        end = start;
    }
    *s = p + begin;
    *n = end - begin;
}

size_t
lg_text_utf16_len(const char *s, size_t n)
{
    size_t units = 0, pos = 0;
    while (pos < n) {
        int32_t cp = lg_utf8_next(s, n, &pos);
        units += cp > 0xFFFF ? 2 : 1;
    }
    return units;
}

static const lg_case_multi_t *
find_multi(uint32_t cp)
{
    size_t lo = 0, hi = lg_case_upper_nmulti;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lg_case_upper_multi[mid].cp < cp)
            lo = mid + 1;
        else if (lg_case_upper_multi[mid].cp > cp)
            hi = mid;
        else
            return &lg_case_upper_multi[mid];
    }
    return NULL;
}

static uint32_t
upper_simple(uint32_t cp)
{
    size_t lo = 0, hi = lg_case_upper_nruns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lg_case_upper_runs[mid].first <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return cp;
    const lg_case_run_t *r = &lg_case_upper_runs[lo - 1];
    if (cp > r->last || (cp - r->first) % r->step != 0)
        return cp;
    return (uint32_t)((int32_t)cp + r->delta);
}

/* Appends the upper case of the code point at s[*pos] and advances *pos past it. */
static void
upper_one(lg_buf_t *out, const char *s, size_t n, size_t *pos)
{
    size_t start = *pos;
    int32_t cp = lg_utf8_next(s, n, pos);
    if (cp < 0) {
        lg_buf_append(out, s + start, *pos - start);
        return;
    }
    const lg_case_multi_t *m = find_multi((uint32_t)cp);
    if (m != NULL) {
        lg_buf_puts(out, m->upper);
        return;
    }
    char enc[4];
    lg_buf_append(out, enc, lg_utf8_encode(upper_simple((uint32_t)cp), enc));
}

void
lg_text_upper(lg_buf_t *out, const char *s, size_t n)
{
    size_t pos = 0;
    lg_buf_reserve(out, n);
    while (pos < n)
        upper_one(out, s, n, &pos);
}

void
lg_text_capitalize(lg_buf_t *out, const char *s, size_t n)
{
    size_t pos = 0, probe = 0;
    int32_t first = lg_utf8_next(s, n, &probe);

    if (n > 0 && first >= 0 && first <= 0xFFFF)
        upper_one(out, s, n, &pos);
    lg_buf_append(out, s + pos, n - pos);
}
