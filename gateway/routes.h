/* routes.h - the gateway's route table and the handlers it points at. */
#ifndef LG_ROUTES_H
#define LG_ROUTES_H

#include "gateway/request.h"
#include "gateway/respond.h"

extern const lg_route_t lg_routes[];
extern const size_t lg_nroutes; /* including the final catch-all row */

void lg_route_home(lg_request_t *r);
void lg_route_badge(lg_request_t *r);
void lg_route_links(lg_request_t *r);
void lg_route_import(lg_request_t *r);
void lg_route_import_url(lg_request_t *r);
void lg_route_import_post(lg_request_t *r);
void lg_route_job_page(lg_request_t *r);
void lg_route_api_imports(lg_request_t *r);
void lg_route_api_job(lg_request_t *r);
void lg_route_signin(lg_request_t *r);
void lg_route_signout(lg_request_t *r);
void lg_route_oauth_callback(lg_request_t *r);
void lg_route_webhook(lg_request_t *r);
/* auth = jupyterhub: sends the browser to the hub to sign in, coming back to next afterwards. */
void lg_oauth_start(lg_request_t *r, const char *next);
void lg_route_readyz(lg_request_t *r);
void lg_route_healthz(lg_request_t *r);
void lg_route_metrics(lg_request_t *r);
void lg_route_asset(lg_request_t *r);

#endif
