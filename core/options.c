/* options.c - the table of every labgate option: the one place an option is declared. The parser,
 * LABGATE_* variables, --help and docs/configuration.md all come from these rows. */
#include "config.h"

#include <stddef.h>

#define F(field) offsetof(lg_config_t, field)
#define KIB      1024LL
#define MIB      (1024LL * KIB)
#define SEC      1000LL

const lg_option_t lg_options[] = {
    {"listen", LG_OPT_LISTEN, F(listen), "127.0.0.1:8080", 0, 0, NULL, LG_CMD_GATEWAY,
     "Address to serve HTTP on, HOST:PORT ([::1]:8080 for IPv6; port 0 picks a free one). Repeat for "
     "several."},
    {"threads", LG_OPT_INT, F(threads), "0", 0, 256, NULL, LG_CMD_GATEWAY,
     "Event-loop threads, each with its own listening socket (SO_REUSEPORT); 0 means one per CPU core."},
    {"public_url", LG_OPT_URL, F(public_url), "", 0, 0, NULL, LG_CMD_GATEWAY | LG_CMD_BADGE,
     "The URL users reach labgate at, for links and badges (https://labgate.example.org); "
     "empty means taken from each request's Host."},
    {"log_level", LG_OPT_ENUM, F(log_level), "info", 0, 0, "debug|info|warn|error", LG_CMD_ALL,
     "Least severe level that is logged."},
    {"log_format", LG_OPT_ENUM, F(log_format), "text", 0, 0, "text|json", LG_CMD_ALL,
     "Log lines as logfmt text or as JSON objects."},
    {"tls_cert", LG_OPT_STRING, F(tls_cert), "", 0, 0, NULL, LG_CMD_GATEWAY,
     "PEM certificate chain; with tls_key, every listener speaks TLS (HTTP/2 by ALPN, and HTTP/1.1)."},
    {"tls_key", LG_OPT_STRING, F(tls_key), "", 0, 0, NULL, LG_CMD_GATEWAY, "PEM private key of tls_cert."},
    {"github_url", LG_OPT_GIT_URL, F(github_url), "https://github.com", 0, 0, NULL,
     LG_CMD_GATEWAY | LG_CMD_IMPORT | LG_CMD_WORKER,
     "Where repositories are fetched from: GitHub, or a git server that mirrors its OWNER/REPO layout "
     "(https://, http:// or git://). Clone URLs are BASE/OWNER/REPO.git."},
    {"max_body_bytes", LG_OPT_SIZE, F(max_body_bytes), "1m", 1 * KIB, 1024 * MIB, NULL, LG_CMD_GATEWAY,
     "Largest request body accepted; larger ones get 413."},
    {"max_header_bytes", LG_OPT_SIZE, F(max_header_bytes), "64k", 1 * KIB, 400 * KIB, NULL, LG_CMD_GATEWAY,
     "Largest request head (path, query and headers) accepted; larger ones get 431. Heads past the HTTP "
     "parser's own limit (about 408 KiB) get 400 or a closed connection."},
    {"max_connections", LG_OPT_INT, F(max_connections), "10000", 1, 1000000, NULL, LG_CMD_GATEWAY,
     "Open client connections per thread; beyond it new connections are closed at once."},
    {"max_streams", LG_OPT_INT, F(max_streams), "100", 1, 100, NULL, LG_CMD_GATEWAY,
     "HTTP/2 requests processed at once on one connection."},
    {"request_timeout", LG_OPT_DURATION, F(request_timeout_ms), "10s", 100, 3600 * SEC, NULL, LG_CMD_GATEWAY,
     "Time a client has to send a request, and that an idle connection is kept open."},
    {"response_timeout", LG_OPT_DURATION, F(response_timeout_ms), "60s", 1 * SEC, 3600 * SEC, NULL,
     LG_CMD_GATEWAY,
     "Time a response may take to reach the client; a client that reads slower is disconnected."},
    {"shutdown_timeout", LG_OPT_DURATION, F(shutdown_timeout_ms), "10s", 0, 600 * SEC, NULL, LG_CMD_GATEWAY,
     "On SIGTERM or SIGINT, time in-flight requests have to finish before the gateway exits."},
    {"projects_dir", LG_OPT_STRING, F(projects_dir), "/var/lib/labgate/projects", 0, 0, NULL,
     LG_CMD_IMPORT | LG_CMD_WORKER, "Where users' projects live: imports land in PROJECTS_DIR/USER/REPO."},
    {"cache_dir", LG_OPT_STRING, F(cache_dir), "/var/cache/labgate", 0, 0, NULL,
     LG_CMD_IMPORT | LG_CMD_WORKER,
     "Where bare mirrors of repositories are kept (CACHE_DIR/HOST/OWNER/REPO.git, lower-cased), and "
     "the import locks."},
    {"fetch_timeout", LG_OPT_DURATION, F(fetch_timeout_ms), "120s", 1 * SEC, 3600 * SEC, NULL,
     LG_CMD_IMPORT | LG_CMD_WORKER,
     "Time one fetch from the git server may take; a server that stalls fails the import at this deadline."},
    {"mirror_max_age", LG_OPT_DURATION, F(mirror_max_age_ms), "10s", 0, 24 * 3600 * SEC, NULL,
     LG_CMD_IMPORT | LG_CMD_WORKER,
     "A mirror fetched this recently serves a branch or the default branch without fetching again; 0 "
     "fetches on every such import. Full commit ids already in the mirror never fetch."},
    {"max_repo_bytes", LG_OPT_SIZE, F(max_repo_bytes), "2g", 1 * KIB, 1024 * 1024 * MIB, NULL,
     LG_CMD_IMPORT | LG_CMD_WORKER,
     "Largest repository: the download of one fetch, and the files one import writes, added up; beyond "
     "it the import fails."},
    {"max_files", LG_OPT_INT, F(max_files), "100000", 1, 10000000, NULL, LG_CMD_IMPORT | LG_CMD_WORKER,
     "Most files one import may write."},
    {"max_file_bytes", LG_OPT_SIZE, F(max_file_bytes), "100m", 1, 1024 * 1024 * MIB, NULL,
     LG_CMD_IMPORT | LG_CMD_WORKER,
     "Largest single file an import writes (GitHub refuses files over 100 MB)."},
    {"redis", LG_OPT_STRING, F(redis), "redis://127.0.0.1:6379", 0, 0, NULL,
     LG_CMD_GATEWAY | LG_CMD_WORKER | LG_CMD_IMPORT,
     "The Redis that carries the import queue: redis://HOST:PORT[/DB], or the path of a unix socket."},
    {"redis_prefix", LG_OPT_STRING, F(redis_prefix), "labgate", 0, 0, NULL,
     LG_CMD_GATEWAY | LG_CMD_WORKER | LG_CMD_IMPORT,
     "Prefix of every Redis key labgate uses, so several installations can share one Redis."},
    {"worker_concurrency", LG_OPT_INT, F(worker_concurrency), "4", 1, 256, NULL, LG_CMD_WORKER,
     "Imports one worker runs at once, each on a thread with its own Redis connection."},
    {"dedup_window", LG_OPT_DURATION, F(dedup_window_ms), "60s", 1 * SEC, 24 * 3600 * SEC, NULL,
     LG_CMD_GATEWAY | LG_CMD_WORKER | LG_CMD_IMPORT,
     "The same user importing the same link in the same mode within this gets the job already queued."},
    {"max_attempts", LG_OPT_INT, F(max_attempts), "5", 1, 100, NULL, LG_CMD_WORKER | LG_CMD_IMPORT,
     "Deliveries of a job (retries after transient failures, or after a worker died) before it goes to the "
     "dead-letter stream."},
    {"job_lease", LG_OPT_DURATION, F(job_lease_ms), "30s", 1 * SEC, 3600 * SEC, NULL,
     LG_CMD_WORKER | LG_CMD_IMPORT,
     "A worker renews its hold on a running job every third of this; a job not renewed for this long is "
     "taken over by another worker."},
    {"auth", LG_OPT_ENUM, F(auth), "dev", 0, 0, "dev|header|jupyterhub", LG_CMD_GATEWAY | LG_CMD_WORKER,
     "How users sign in: dev (a form that takes any name; only when every listen address is loopback), "
     "header (the name a trusted reverse proxy puts in auth_header) or jupyterhub (OAuth with the hub at "
     "jupyterhub_url: the hub's user name is the labgate user)."},
    {"auth_header", LG_OPT_STRING, F(auth_header), "X-Forwarded-User", 0, 0, NULL, LG_CMD_GATEWAY,
     "With auth = header: the request header that carries the signed-in user's name."},
    {"trusted_proxies", LG_OPT_STRING, F(trusted_proxies), "127.0.0.0/8,::1", 0, 0, NULL, LG_CMD_GATEWAY,
     "With auth = header: addresses (ADDRESS or ADDRESS/BITS, comma-separated) whose auth_header is "
     "believed; from anywhere else the header is ignored."},
    {"session_secret", LG_OPT_STRING, F(session_secret), "", 0, 0, NULL, LG_CMD_GATEWAY,
     "Key that signs session cookies and CSRF tokens, at least 32 characters; the same on every gateway. "
     "Empty: a random key per start (everyone is signed out when the gateway restarts)."},
    {"runtime", LG_OPT_ENUM, F(runtime), "local", 0, 0, "none|local|jupyterhub", LG_CMD_WORKER,
     "Where an import opens: local (a Jupyter Notebook server per user on this machine, on 127.0.0.1), "
     "jupyterhub (the user's server on the hub at jupyterhub_url), or none (the files only)."},
    {"runtime_dir", LG_OPT_STRING, F(runtime_dir), "/var/lib/labgate/runtime", 0, 0, NULL, LG_CMD_WORKER,
     "runtime = local: each user's server home, Jupyter runtime files and log (RUNTIME_DIR/USER), kept "
     "out of the project."},
    {"jupyter_program", LG_OPT_STRING, F(jupyter_program), "/usr/bin/jupyter-notebook", 0, 0, NULL,
     LG_CMD_WORKER,
     "runtime = local: the classic Notebook server program (Debian package jupyter-notebook)."},
    {"runtime_start_timeout", LG_OPT_DURATION, F(runtime_start_timeout_ms), "60s", 1 * SEC, 3600 * SEC, NULL,
     LG_CMD_WORKER, "Time a user's server has to become ready; past it the job fails (the files stay)."},
    {"runtime_idle_timeout", LG_OPT_DURATION, F(runtime_idle_timeout_ms), "1h", 10 * SEC, 7 * 24 * 3600 * SEC,
     NULL, LG_CMD_WORKER,
     "runtime = local: a server with no open page and no activity for this long is stopped."},
    {"jupyterhub_url", LG_OPT_URL, F(jupyterhub_url), "", 0, 0, NULL, LG_CMD_GATEWAY | LG_CMD_WORKER,
     "Where labgate reaches the JupyterHub (http://127.0.0.1:8000), for runtime = jupyterhub and auth = "
     "jupyterhub."},
    {"jupyterhub_public_url", LG_OPT_URL, F(jupyterhub_public_url), "", 0, 0, NULL,
     LG_CMD_GATEWAY | LG_CMD_WORKER, "Where browsers reach the hub, when not at jupyterhub_url."},
    {"jupyterhub_token", LG_OPT_STRING, F(jupyterhub_token), "", 0, 0, NULL, LG_CMD_GATEWAY | LG_CMD_WORKER,
     "API token of labgate's service on the hub (roles: admin:users, servers, tokens, access:servers); "
     "also its OAuth client secret."},
    {"jupyterhub_client_id", LG_OPT_STRING, F(jupyterhub_client_id), "service-labgate", 0, 0, NULL,
     LG_CMD_GATEWAY, "auth = jupyterhub: the OAuth client id of labgate's service on the hub."},
    {"webhook_secret", LG_OPT_STRING, F(webhook_secret), "", 0, 0, NULL, LG_CMD_GATEWAY,
     "The secret of GitHub webhooks pointed at POST /webhooks/github (each delivery's X-Hub-Signature-256 is "
     "checked with it); empty turns webhooks off."},
    {"webhook_repos", LG_OPT_STRING, F(webhook_repos), "", 0, 0, NULL, LG_CMD_GATEWAY,
     "Repositories whose webhook deliveries are acted on (OWNER/REPO or OWNER/*, comma-separated, any case); "
     "empty means all. Others are answered 202 and ignored."},
    {"webhook_mirror_new", LG_OPT_ENUM, F(webhook_mirror_new), "no", 0, 0, "no|yes", LG_CMD_WORKER,
     "Whether a push to a repository not mirrored here yet makes a mirror of it (yes), or is ignored (no)."},
    {"session_lifetime", LG_OPT_DURATION, F(session_lifetime_ms), "168h", 60 * SEC, 90 * 24 * 3600 * SEC,
     NULL, LG_CMD_GATEWAY, "How long a sign-in lasts."},
};

const size_t lg_noptions = sizeof(lg_options) / sizeof(lg_options[0]);
