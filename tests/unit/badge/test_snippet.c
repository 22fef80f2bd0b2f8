/* test_snippet.c - tests badge/snippet.c: Markdown, HTML and reStructuredText, with hostile values. */
#include "badge/snippet.h"

#include "tests/unit/check.h"

#define IMG  "https://lab.example/badge.svg?label=Open%20in"
#define LINK "https://lab.example/import?url=https%3A%2F%2Fgithub.com%2Fa%2Fb"

static const struct {
    const char *img, *link, *alt;
    const char *markdown, *html, *rst;
} cases[] = {
    {IMG, LINK, "Open in labgate", "[![Open in labgate](" IMG ")](" LINK ")",
     "<a href=\"" LINK "\"><img src=\"" IMG "\" alt=\"Open in labgate\"></a>",
     ".. image:: " IMG "\n   :target: " LINK "\n   :alt: Open in labgate"},
    /* characters that would end or break each syntax */
    {"https://x/a b)c", "https://x/(d]\"e'<f>", "a]b)(c[d\\e*_`!",
     "[![a\\]b\\)\\(c\\[d\\\\e\\*\\_\\`\\!](https://x/a%20b%29c)](https://x/%28d%5D%22e%27%3Cf%3E)",
     "<a href=\"https://x/(d]&quot;e&apos;&lt;f&gt;\"><img src=\"https://x/a b)c\" "
     "alt=\"a]b)(c[d\\e*_`!\"></a>",
     ".. image:: https://x/a%20b)c\n   :target: https://x/(d]\"e'<f>\n   :alt: a]b)(c[d\\e*_`!"},
    /* HTML injection through every value */
    {"\"><script>", "javascript&x", "<img src=x onerror=alert(1)>",
     "[![\\<img src=x onerror=alert\\(1\\)\\>](%22%3E%3Cscript%3E)](javascript&x)",
     "<a href=\"javascript&amp;x\"><img src=\"&quot;&gt;&lt;script&gt;\" "
     "alt=\"&lt;img src=x onerror=alert(1)&gt;\"></a>",
     ".. image:: \"><script>\n   :target: javascript&x\n   :alt: <img src=x onerror=alert(1)>"},
    /* new lines must not open new lines or options; a trailing _ is a reference in reST */
    {"https://x/i_", "https://x/l_", "two\nlines\r\n   :width: 1",
     "[![two lines     :width: 1](https://x/i_)](https://x/l_)",
     "<a href=\"https://x/l_\"><img src=\"https://x/i_\" alt=\"two lines     :width: 1\"></a>",
     ".. image:: https://x/i%5F\n   :target: https://x/l%5F\n   :alt: two lines     :width: 1"},
    /* empty URLs; only the last '_' is a reference for reST */
    {"", "_", "a", "[![a]()](_)", "<a href=\"_\"><img src=\"\" alt=\"a\"></a>",
     ".. image:: \n   :target: %5F\n   :alt: a"},
    {"https://x/a_b_", "https://x/__", "a", "[![a](https://x/a_b_)](https://x/__)",
     "<a href=\"https://x/__\"><img src=\"https://x/a_b_\" alt=\"a\"></a>",
     ".. image:: https://x/a_b%5F\n   :target: https://x/_%5F\n   :alt: a"},
    /* non-ASCII in URLs is percent-encoded for Markdown and reST, kept in HTML */
    {"https://x/caf\xc3\xa9", "https://x/\\", "caf\xc3\xa9",
     "[![caf\xc3\xa9](https://x/caf%C3%A9)](https://x/%5C)",
     "<a href=\"https://x/\\\"><img src=\"https://x/caf\xc3\xa9\" alt=\"caf\xc3\xa9\"></a>",
     ".. image:: https://x/caf%C3%A9\n   :target: https://x/%5C\n   :alt: caf\xc3\xa9"},
};

static void
test_snippets(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lg_buf_t md = LG_BUF_INIT, html = LG_BUF_INIT, rst = LG_BUF_INIT;
        lg_snippet_markdown(&md, cases[i].img, cases[i].link, cases[i].alt);
        lg_snippet_html(&html, cases[i].img, cases[i].link, cases[i].alt);
        lg_snippet_rst(&rst, cases[i].img, cases[i].link, cases[i].alt);
        CHECK_STR(lg_buf_str(&md), cases[i].markdown);
        CHECK_STR(lg_buf_str(&html), cases[i].html);
        CHECK_STR(lg_buf_str(&rst), cases[i].rst);
        lg_buf_free(&md);
        lg_buf_free(&html);
        lg_buf_free(&rst);
    }
}

int
main(void)
{
    RUN(test_snippets);
    return check_report();
}
