/* http.c - see http.h. */
#include "http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

#define MAX_ANSWER (4 * 1024 * 1024)

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t
collect(char *data, size_t size, size_t n, void *ctx)
{
    lg_buf_t *b = ctx;
    if (b->len + size * n > MAX_ANSWER)
        return 0; /* too big: the transfer fails */
    lg_buf_append(b, data, size * n);
    return size * n;
}

typedef struct {
    int (*each)(void *ctx, const char *data, size_t len);
    void *ctx;
    int stopped;
} stream_t;

static size_t
pass_on(char *data, size_t size, size_t n, void *p)
{
    stream_t *s = p;
    if (s->each(s->ctx, data, size * n))
        return size * n;
    s->stopped = 1;
    return 0;
}

static CURL *
handle(const char *url, struct curl_slist **list, const char *const *headers, int64_t timeout_ms)
{
    pthread_once(&once, init);
    CURL *c = curl_easy_init();
    if (c == NULL)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*"); /* tokens go to the server named, never to http_proxy */
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_ms < 10000 ? timeout_ms : 10000));
    *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        *list = curl_slist_append(*list, headers[i]);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, *list);
    return c;
}

static int
failed(CURLcode rc, const char *url, lg_err_t *err)
{
    return lg_err_set(err, rc == CURLE_OPERATION_TIMEDOUT ? LG_ETIMEOUT : LG_EIO, "%s: %s", url,
                      curl_easy_strerror(rc));
}

int
lg_http_request(const char *method, const char *url, const char *const *headers, const char *body,
                int64_t timeout_ms, lg_http_answer_t *out, lg_err_t *err)
{
    memset(out, 0, sizeof(*out));
    struct curl_slist *list;
    CURL *c = handle(url, &list, headers, timeout_ms);
    if (c == NULL)
        return lg_err_set(err, LG_EIO, "cannot make an HTTP request");
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body != NULL)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_cleanup(c);
    curl_slist_free_all(list);
    if (rc != CURLE_OK) {
        lg_http_answer_free(out);
        return failed(rc, url, err);
    }
    return 0;
}

int
lg_http_stream(const char *url, const char *const *headers, int64_t timeout_ms,
               int (*each)(void *ctx, const char *data, size_t len), void *ctx, long *status, lg_err_t *err)
{
    struct curl_slist *list;
    CURL *c = handle(url, &list, headers, timeout_ms);
    if (c == NULL)
        return lg_err_set(err, LG_EIO, "cannot make an HTTP request");
    stream_t s = {each, ctx, 0};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, pass_on);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(c);
    *status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    curl_slist_free_all(list);
    if (s.stopped)
        return 0;
    if (rc == CURLE_OK && *status >= 400)
        return lg_err_set(err, LG_EIO, "%s answered HTTP %ld", url, *status);
    if (rc == CURLE_OK)
        return lg_err_set(err, LG_EIO, "%s: the answer ended early", url);
    return failed(rc, url, err);
}

void
lg_http_answer_free(lg_http_answer_t *a)
{
    lg_buf_free(&a->body);
}
