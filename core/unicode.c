/* unicode.c - control and hidden code points, and the text that shows them. */
#include "unicode.h"

#include "utf8.h"

#include <stdio.h>

/* Hidden code points besides controls and noncharacters, in order: Cf (Unicode 15), Zl, Zp and the other
 * Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt), merged where they touch. */
static const struct {
    int32_t first, last;
} hidden[] = {
    {0x00AD, 0x00AD},   /* soft hyphen */
    {0x034F, 0x034F},   /* combining grapheme joiner */
    {0x0600, 0x0605},   /* Arabic number signs */
    {0x061C, 0x061C},   /* Arabic letter mark */
    {0x06DD, 0x06DD},   /* Arabic end of ayah */
    {0x070F, 0x070F},   /* Syriac abbreviation mark */
    {0x0890, 0x0891},   /* Arabic pound and piastre marks above */
    {0x08E2, 0x08E2},   /* Arabic disputed end of ayah */
    {0x115F, 0x1160},   /* Hangul choseong and jungseong fillers */
    {0x17B4, 0x17B5},   /* Khmer inherent vowels */
    {0x180B, 0x180F},   /* Mongolian free variation selectors and vowel separator */
    {0x200B, 0x200F},   /* zero width space, non-joiner, joiner; LRM, RLM */
    {0x2028, 0x202E},   /* line and paragraph separators; LRE, RLE, PDF, LRO, RLO */
    {0x2060, 0x206F},   /* word joiner, invisible operators, LRI, RLI, FSI, PDI, deprecated format */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFEFF, 0xFEFF},   /* zero width no-break space, byte order mark */
    {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
    {0xFFF0, 0xFFFB},   /* unassigned ignorables, interlinear annotation */
    {0x110BD, 0x110BD}, /* Kaithi number sign */
    {0x110CD, 0x110CD}, /* Kaithi number sign above */
    {0x13430, 0x1343F}, /* Egyptian hieroglyph format controls */
    {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
    {0x1D173, 0x1D17A}, /* musical symbol format controls */
    {0xE0000, 0xE0FFF}, /* tags, variation selectors supplement */
};

int
lg_unicode_is_control(int32_t cp)
{
    return (cp >= 0 && cp < 0x20) || (cp >= 0x7F && cp <= 0x9F);
}

static int
is_noncharacter(int32_t cp)
{
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

int
lg_unicode_is_hidden(int32_t cp)
{
    if (cp < 0 || cp > 0x10FFFF)
        return 0;
    if (lg_unicode_is_control(cp) || is_noncharacter(cp))
        return 1;
    size_t lo = 0, hi = sizeof(hidden) / sizeof(hidden[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < hidden[mid].first)
            hi = mid;
        else if (cp > hidden[mid].last)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

int
lg_unicode_has_control(const char *s, size_t n)
{
    size_t pos = 0;
    while (pos < n)
        if (lg_unicode_is_control(lg_utf8_next(s, n, &pos)))
            return 1;
    return 0;
}

size_t
lg_unicode_escape_next(char out[LG_UNICODE_ESCAPE_MAX], const char *s, size_t n, size_t *pos)
{
    size_t at = *pos;
    int32_t cp = lg_utf8_next(s, n, pos);
    int len;

    if (cp < 0)
        len = snprintf(out, LG_UNICODE_ESCAPE_MAX, "\\x%02X", (unsigned char)s[at]);
    else if (cp == '\\')
        len = snprintf(out, LG_UNICODE_ESCAPE_MAX, "\\\\");
    else if (!lg_unicode_is_hidden(cp))
        len = 0;
    else if (cp <= 0xFFFF)
        len = snprintf(out, LG_UNICODE_ESCAPE_MAX, "\\u%04X", (unsigned)cp);
    else
        len = snprintf(out, LG_UNICODE_ESCAPE_MAX, "\\U%08X", (unsigned)cp);
    return (size_t)len;
}
