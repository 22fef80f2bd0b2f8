/* font_width.c - anafanafo's text measurement over the generated tables. */
#include "font_width.h"

#include "core/utf8.h"
#include "font_table.h"

double
lg_font_char_width(lg_font_t font, uint32_t cp)
{
    const lg_font_table_t *t = &lg_font_tables[font];
    size_t lo = 0, hi = t->nruns;

    if (cp <= 0x1F || cp == 0x7F)
        return 0.0;
    /* find the last run starting at or before cp */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->starts[mid] <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || t->widx[lo - 1] == LG_FONT_NO_WIDTH)
        return -1.0;
    return t->widths[t->widx[lo - 1]];
}

double
lg_font_width(lg_font_t font, const char *s, size_t n)
{
    double em = lg_font_char_width(font, 'm');
    double sum = 0.0;
    size_t pos = 0;

    while (pos < n) {
        int32_t cp = lg_utf8_next(s, n, &pos);
        double w = lg_font_char_width(font, cp < 0 ? 0xFFFD : (uint32_t)cp);
        sum += w < 0 ? em : w;
    }
    return sum;
}

const char *
lg_font_name(lg_font_t font)
{
    return lg_font_tables[font].name;
}
