/* font_table.h - layout of the generated width tables (font_widths.c); only font_width.c reads them. */
#ifndef LG_BADGE_FONT_TABLE_H
#define LG_BADGE_FONT_TABLE_H

#include "font_width.h"

#include <stddef.h>
#include <stdint.h>

#define LG_FONT_NO_WIDTH 0xFFFF

/* Run k covers code points starts[k] .. starts[k+1]-1 (the last run: starts[k] and up) and has width
 * widths[widx[k]], or none when widx[k] is LG_FONT_NO_WIDTH. */
typedef struct {
    const char *name; /* the anafanafo data file, e.g. "verdana-11px-normal" */
    const uint32_t *starts;
    const uint16_t *widx;
    size_t nruns;
    const double *widths;
} lg_font_table_t;

extern const lg_font_table_t lg_font_tables[LG_FONT_COUNT];

#endif
