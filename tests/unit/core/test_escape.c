/* test_escape.c - tests core/escape.c: XML/HTML escaping, and names shown visibly on pages. */
#include "core/escape.h"

#include "core/unicode.h"
#include "core/utf8.h"
#include "tests/unit/check.h"

typedef struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *want;
} escape_case_t;

/* clang-format off */
static const escape_case_t xml_cases[] = {
    {"", 0, ""},
    {"plain text", 0, "plain text"},
    {"<script>alert(\"x\" & 'y')</script>", 0, "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"},
    {"&amp;", 0, "&amp;amp;"},
    {"tab\tnl\ncr\r", 0, "tab\tnl\ncr\r"},     /* kept: XML carries them */
    {"a\x01" "b\x1f" "c\x7f" "d", 0, "abcd"},  /* dropped: XML 1.0 cannot */
    {"nul\0x", 5, "nulx"},
    {"caf\xc3\xa9 \xe2\x80\xae", 0, "caf\xc3\xa9 \xe2\x80\xae"}, /* non-ASCII passes: see lg_escape_visible */
    {"a<b", 2, "a&lt;"},
};

static const escape_case_t visible_cases[] = {
    {"", 0, ""},
    {"notebook.ipynb", 0, "notebook.ipynb"},
    {"dir/caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x93\x93.ipynb", 0,
     "dir/caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x93\x93.ipynb"},
    /* the spoof the function exists for: RLO makes "x<RLO>bnypi.exe" look like "xexe.ipynb" */
    {"x\xe2\x80\xae" "bnypi.exe", 0, "x\\u202Ebnypi.exe"},
    {"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0, "\\u202A\\u202B\\u202C\\u202D"},
    {"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0, "\\u2066\\u2067\\u2068\\u2069"},
    {"a\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f" "b", 0, "a\\u200B\\u200C\\u200D\\u200E\\u200Fb"},
    {"\xef\xbb\xbfmain", 0, "\\uFEFFmain"},
    {"soft\xc2\xadhyphen", 0, "soft\\u00ADhyphen"},
    {"line\xe2\x80\xa8sep", 0, "line\\u2028sep"},
    {"nel\xc2\x85" "c1\xc2\x9f", 0, "nel\\u0085c1\\u009F"},
    {"tab\tnl\n", 0, "tab\\u0009nl\\u000A"},
    {"nul\0x", 5, "nul\\u0000x"},
    {"tag\xf3\xa0\x80\x81", 0, "tag\\U000E0001"},
    {"\xe3\x85\xa4", 0, "\\u3164"},           /* Hangul filler: an invisible "letter" */
    {"not utf-8 \xff\xfe", 0, "not utf-8 \\xFF\\xFE"},
    {"back\\slash", 0, "back\\\\slash"},
    {"\\u202E", 0, "\\\\u202E"},              /* a typed escape cannot pass for a real one */
    {"<b>&\"'</b>", 0, "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;"},
    {"<\xe2\x80\xae>", 0, "&lt;\\u202E&gt;"},
    {"\xc2\xa0nbsp", 0, "\xc2\xa0nbsp"},      /* a space that shows as one stays */
    {"main\xe2\x80\xae", 4, "main"},          /* only n bytes are read */
};
/* clang-format on */

static void
check_cases(const escape_case_t *cases, size_t ncases, void (*escape)(lg_buf_t *, const char *, size_t))
{
    for (size_t i = 0; i < ncases; i++) {
        lg_buf_t out = LG_BUF_INIT;
        escape(&out, cases[i].in, cases[i].len ? cases[i].len : strlen(cases[i].in));
        CHECK_MSG(strcmp(lg_buf_str(&out), cases[i].want) == 0, "row %zu: got \"%s\", want \"%s\"", i,
                  lg_buf_str(&out), cases[i].want);
        CHECK_INT(out.len, strlen(lg_buf_str(&out)));
        lg_buf_free(&out);
    }
}

static void
test_xml(void)
{
    check_cases(xml_cases, sizeof(xml_cases) / sizeof(xml_cases[0]), lg_escape_xml);

    lg_buf_t out = LG_BUF_INIT;
    lg_buf_puts(&out, "x=");
    lg_escape_xml_str(&out, "a&b");
    CHECK_STR(lg_buf_str(&out), "x=a&amp;b"); /* appends */
    lg_buf_free(&out);
}

static void
test_visible(void)
{
    check_cases(visible_cases, sizeof(visible_cases) / sizeof(visible_cases[0]), lg_escape_visible);
}

/* Every code point, and every lone byte: the output is valid UTF-8 with no hidden character and no raw
 * markup, and any other character is kept as it is. */
static void
test_visible_everything(void)
{
    lg_buf_t out = LG_BUF_INIT;
    int bad = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        char in[4];
        size_t n = lg_utf8_encode(cp, in);
        if (n == 0)
            continue;
        lg_buf_reset(&out);
        lg_escape_visible(&out, in, n);
        size_t pos = 0;
        int ok = lg_utf8_valid(out.data, out.len) && strpbrk(out.data, "<>\"'") == NULL;
        while (ok && pos < out.len)
            ok = !lg_unicode_is_hidden(lg_utf8_next(out.data, out.len, &pos));
        int markup = cp < 0x80 && strchr("<>&\"'\\", (int)cp) != NULL;
        if (!lg_unicode_is_hidden((int32_t)cp) && !markup)
            ok = ok && out.len == n && memcmp(out.data, in, n) == 0;
        if (!ok && bad++ < 5)
            fprintf(stderr, "U+%04X gave \"%s\"\n", (unsigned)cp, out.data);
    }
    CHECK_INT(bad, 0);
    for (int b = 0x80; b <= 0xFF; b++) {
        char in[1] = {(char)b}, want[8];
        snprintf(want, sizeof(want), "\\x%02X", b);
        lg_buf_reset(&out);
        lg_escape_visible(&out, in, 1);
        CHECK_STR(lg_buf_str(&out), want);
    }
    lg_buf_free(&out);
}

int
main(void)
{
    RUN(test_xml);
    RUN(test_visible);
    RUN(test_visible_everything);
    return check_report();
}
