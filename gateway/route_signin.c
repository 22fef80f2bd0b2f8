/* route_signin.c - signing in and out. GET /signin shows the dev sign-in form (auth = dev: any name,
 * loopback only); POST /signin signs in and goes back to where the visitor came from; POST /signout
 * ends the session. With auth = header, the proxy in front of labgate signs people in. */
#include "gateway/routes.h"

#include "core/escape.h"
#include "gateway/auth.h"
#include "gateway/page.h"

#include <string.h>

static const char *
next_of(lg_request_t *r, int form)
{
    int bad;
    const char *next = form ? lg_request_form(r, "next", &bad) : lg_request_query(r, "next", &bad);
    return next != NULL && lg_auth_next_ok(next) ? next : "/";
}

static void
signin_page(lg_request_t *r, int status, const char *next, const char *problem, const char *name)
{
    lg_session_t s;
    int signed_in = lg_auth_request(r, &s);
    lg_buf_t out = LG_BUF_INIT;
    lg_page_begin(&out, "Sign in");
    lg_buf_puts(&out, "<section class=\"signin\">\n<h1>Sign in</h1>\n");
    if (signed_in) {
        lg_buf_puts(&out, "<p>You are signed in as <strong class=\"user\">");
        lg_escape_xml_str(&out, s.user);
        lg_buf_puts(&out, "</strong>. <a class=\"continue\" href=\"");
        lg_escape_xml_str(&out, next);
        lg_buf_puts(&out, "\">Continue</a>, or sign in as someone else:</p>\n");
    }
    if (problem != NULL) {
        lg_buf_puts(&out, "<p class=\"message\">");
        lg_escape_xml_str(&out, problem);
        lg_buf_puts(&out, "</p>\n");
    }
    lg_buf_puts(&out, "<form method=\"post\" action=\"/signin\">\n<label for=\"name\">Your name</label>\n"
                      "<div class=\"row\"><input id=\"name\" name=\"name\" type=\"text\" required "
                      "maxlength=\"64\" autocomplete=\"username\" autofocus value=\"");
    lg_escape_xml_str(&out, name);
    lg_buf_puts(&out, "\"><input type=\"hidden\" name=\"next\" value=\"");
    lg_escape_xml_str(&out, next);
    lg_buf_puts(&out, "\"><button type=\"submit\">Sign in</button></div>\n</form>\n"
                      "<p class=\"note\">Development sign-in: any name works, with no password. Your imports "
                      "go to your own project folder, named after you. Letters, digits and <code>. _ - @ "
                      "+</code>.</p>\n</section>\n");
    lg_page_end(&out);
    lg_respond_header(r, "cache-control", "no-store");
    lg_respond(r, status, "text/html; charset=utf-8", lg_buf_str(&out), out.len);
    lg_buf_free(&out);
}

static void
sign_in(lg_request_t *r)
{
    if (!lg_auth_same_site(r)) {
        lg_respond_error(r, 403, "cross_site", "This form was sent from another site, so it was refused.");
        return;
    }
    int bad;
    const char *name = lg_request_form(r, "name", &bad);
    const char *next = next_of(r, 1);
    const char *problem = name ? lg_username_check(name, strlen(name)) : "it is missing";
    if (problem != NULL) {
        char text[160];
        snprintf(text, sizeof(text), "That name cannot be used: %s.", problem);
        signin_page(r, 400, next, text, name && strlen(name) <= 64 ? name : "");
        return;
    }
    lg_session_t s;
    lg_auth_sign_in(r, name, &s);
    lg_respond_redirect(r, 303, next);
}

void
lg_route_signin(lg_request_t *r)
{
    lg_auth_mode_t mode = r->thread->server->auth.mode;
    int post = h2o_memis(r->req->method.base, r->req->method.len, H2O_STRLIT("POST"));
    if (mode == LG_AUTH_JUPYTERHUB && !post) {
        lg_oauth_start(r, next_of(r, 0));
        return;
    }
    if (mode != LG_AUTH_DEV) {
        lg_respond_error(r, 404, "not_found",
                         mode == LG_AUTH_HEADER
                             ? "Sign-in happens at the site in front of this labgate, not here."
                             : "Sign in through JupyterHub: open /signin.");
        return;
    }
    if (post)
        sign_in(r);
    else
        signin_page(r, 200, next_of(r, 0), NULL, "");
}

void
lg_route_signout(lg_request_t *r)
{
    lg_session_t s;
    if (!lg_auth_form(r, &s))
        return;
    lg_auth_sign_out(r);
    lg_respond_redirect(r, 303, "/");
}
