/* routes.c - which path goes to which handler. Order matters: the first match wins. */
#include "routes.h"

const lg_route_t lg_routes[] = {
    {"/", "GET", lg_route_home, "home", LG_ERRORS_HTML, 0, 0},
    {"/badge.svg", "GET", lg_route_badge, "badge", LG_ERRORS_TEXT, 0, 0},
    {"/api/v1/links", "GET", lg_route_links, "api_links", LG_ERRORS_JSON, 0, 0},
    {"/import", "GET", lg_route_import_url, "import_url", LG_ERRORS_HTML, 0, 0},
    {"/import", "POST", lg_route_import_post, "import_post", LG_ERRORS_HTML, 0, 0},
    {"/import/github/", "GET", lg_route_import, "import", LG_ERRORS_HTML, 0, 0},
    {"/jobs/", "GET", lg_route_job_page, "job_page", LG_ERRORS_HTML, 0, 0},
    {"/api/v1/imports", "POST", lg_route_api_imports, "api_imports", LG_ERRORS_JSON, 0, 0},
    {"/api/v1/jobs/", "GET", lg_route_api_job, "api_jobs", LG_ERRORS_JSON, 0, 0},
    {"/signin", "GET POST", lg_route_signin, "signin", LG_ERRORS_HTML, 0, 0},
    {"/signout", "POST", lg_route_signout, "signout", LG_ERRORS_HTML, 0, 0},
    {"/oauth_callback", "GET", lg_route_oauth_callback, "oauth_callback", LG_ERRORS_HTML, 0, 1},
    {"/webhooks/github", "POST", lg_route_webhook, "webhook", LG_ERRORS_JSON, LG_WEBHOOK_MAX_BODY, 0},
    {"/healthz", "GET", lg_route_healthz, "healthz", LG_ERRORS_TEXT, 0, 0},
    {"/readyz", "GET", lg_route_readyz, "readyz", LG_ERRORS_TEXT, 0, 0},
    {"/metrics", "GET", lg_route_metrics, "metrics", LG_ERRORS_TEXT, 0, 0},
    {"/assets/", "GET", lg_route_asset, "assets", LG_ERRORS_TEXT, 0, 0},
    {"", "", NULL, "not_found", LG_ERRORS_HTML, 0, 0},
};

const size_t lg_nroutes = sizeof(lg_routes) / sizeof(lg_routes[0]);

_Static_assert(sizeof(lg_routes) / sizeof(lg_routes[0]) <= LG_METRICS_ROUTES, "raise LG_METRICS_ROUTES");
