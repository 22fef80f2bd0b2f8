/* test_logo.c - tests badge/logo.c: names and the data: URIs shields.io would embed. */
#include "badge/logo.h"

#include "tests/unit/check.h"

/* base64 of '<svg fill="whitesmoke" role="img"' and of '<svg fill="#F37626" role="img"' */
#define WHITESMOKE_PREFIX "data:image/svg+xml;base64,PHN2ZyBmaWxsPSJ3aGl0ZXNtb2tlIiByb2xlPSJpbWci"
#define BRAND_PREFIX      "data:image/svg+xml;base64,PHN2ZyBmaWxsPSIjRjM3NjI2IiByb2xlPSJpbWci"

static void
test_names(void)
{
    lg_logo_t logo = LG_LOGO_NONE;
    CHECK_INT(lg_logo_from_name("jupyter", 7, &logo), 0);
    CHECK_INT(logo, LG_LOGO_JUPYTER);
    CHECK_INT(lg_logo_from_name("none", 4, &logo), 0);
    CHECK_INT(logo, LG_LOGO_NONE);
    CHECK_INT(lg_logo_from_name("Jupyter", 7, &logo), -1);
    CHECK_INT(lg_logo_from_name("", 0, &logo), -1);
    CHECK_INT(lg_logo_from_name("jupyterx", 8, &logo), -1);
    CHECK_STR(lg_logo_name(LG_LOGO_JUPYTER), "jupyter");
    CHECK_STR(lg_logo_name(LG_LOGO_NONE), "none");
}

static void
test_data_uri(void)
{
    lg_buf_t light = LG_BUF_INIT, brand = LG_BUF_INIT, none = LG_BUF_INIT;

    lg_logo_data_uri(&light, LG_LOGO_JUPYTER, 0);
    lg_logo_data_uri(&brand, LG_LOGO_JUPYTER, 1);
    lg_logo_data_uri(&none, LG_LOGO_NONE, 0);
    CHECK(strncmp(lg_buf_str(&light), WHITESMOKE_PREFIX, strlen(WHITESMOKE_PREFIX)) == 0);
    CHECK(strncmp(lg_buf_str(&brand), BRAND_PREFIX, strlen(BRAND_PREFIX)) == 0);
    /* the 917-byte SVG: 4 * ceil(917 / 3) base64 characters */
    CHECK_INT(light.len, strlen("data:image/svg+xml;base64,") + 1224);
    CHECK(strcmp(lg_buf_str(&light) + light.len - 4, "Zz4=") == 0); /* ends with "</svg>" */
    CHECK_INT(none.len, 0);
    lg_buf_free(&light);
    lg_buf_free(&brand);
    lg_buf_free(&none);
}

int
main(void)
{
    RUN(test_names);
    RUN(test_data_uri);
    return check_report();
}
