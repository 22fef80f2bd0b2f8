/* case_map.h - layout of the generated upper-case tables (case_map.c); only text.c reads them. */
#ifndef LG_BADGE_CASE_MAP_H
#define LG_BADGE_CASE_MAP_H

#include <stddef.h>
#include <stdint.h>

/* Every step-th code point from first to last upper-cases to itself plus delta. Sorted, disjoint. */
typedef struct {
    uint32_t first, last;
    uint8_t step;
    int32_t delta;
} lg_case_run_t;

/* A code point whose upper case is several code points, given as UTF-8. Sorted by cp. */
typedef struct {
    uint32_t cp;
    const char *upper;
} lg_case_multi_t;

extern const lg_case_run_t lg_case_upper_runs[];
extern const size_t lg_case_upper_nruns;
extern const lg_case_multi_t lg_case_upper_multi[];
extern const size_t lg_case_upper_nmulti;

#endif
