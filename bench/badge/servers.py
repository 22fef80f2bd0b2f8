"""servers.py - the three servers the badge benchmark compares: labgate's gateway, nginx serving the same
SVG as a static file, and badge-maker in Node (badge_maker_server.mjs)."""

import os
import subprocess
import time

from proc import HOST, CannotRun, Server, free_port, wait_ready

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS = 2  # labgate threads, nginx workers, Node cluster workers: one per core of the reference machine

# The headers labgate sends with a badge; nginx and the Node server send them too.
BADGE_HEADERS = {
    "Cache-Control": "public, max-age=86400, s-maxage=86400",
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def ready_or_stop(srv, url, timeout=15.0):
    """wait_ready, stopping the server if it never becomes ready (its caller has not taken it yet)."""
    try:
        return wait_ready(srv, url, timeout)
    except BaseException:
        srv.stop()
        raise


def start_labgate(binary, tmp, name):
    """labgate's gateway on a free port; returns (server, base URL, the badge's body once it answers)."""
    port = free_port()
    srv = Server(name, [binary, "gateway", "--listen", f"{HOST}:{port}", "--threads", str(THREADS),
                        "--log-level", "warn"], tmp)
    base = f"http://{HOST}:{port}"
    return srv, base, ready_or_stop(srv, base + "/badge.svg")


def nginx_conf(tmp, root, h1_port, h2_port):
    """nginx.conf for a static copy of the badge: 2 workers each with its own listening socket (reuseport,
    as labgate's threads have), no access log, connections (and so HTTP/2 sessions) never closed for
    their request count, 128 streams per HTTP/2 connection. No sendfile: for a 2.6 KB file it is slower
    than a plain write, and with tcp_nopush it stalls pipelined HTTP/1.1 (about 40 ms per batch, nginx
    near idle, 24k requests/s on the reference machine)."""
    build = subprocess.run(["nginx", "-V"], capture_output=True, text=True, timeout=10).stderr
    temp_paths = "\n".join(
        f"    {d}_temp_path {tmp}/nginx-{d};"
        for d, module in (("client_body", None), ("proxy", "proxy"), ("fastcgi", "fastcgi"),
                          ("uwsgi", "uwsgi"), ("scgi", "scgi"))
        if module is None or f"--without-http_{module}_module" not in build)
    headers = "\n".join(f"            add_header {name} \"{value}\";" for name, value in BADGE_HEADERS.items())
    location = f"""
        root {root};
        location = /badge.svg {{
            default_type "image/svg+xml; charset=utf-8";
{headers}
        }}"""
    return f"""# nginx.conf - written by bench/badge/run for one benchmark run.
daemon off;
master_process on;
worker_processes {THREADS};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    types {{ }}
    access_log off;
    server_tokens off;
    sendfile off;
    tcp_nodelay on;
    open_file_cache max=64 inactive=60s;
    keepalive_timeout 75s;
    keepalive_requests 1000000000;
    http2_max_concurrent_streams 128;
{temp_paths}

    server {{
        listen {HOST}:{h1_port} reuseport;
{location}
    }}

    server {{
        listen {HOST}:{h2_port} http2 reuseport;
{location}
    }}
}}
"""


def start_nginx(tmp, body):
    """nginx serving body as a static file; returns (server, HTTP/1.1 base URL, h2c base URL)."""
    www = os.path.join(tmp, "www")
    os.mkdir(www)
    os.chmod(www, 0o755)
    path = os.path.join(www, "badge.svg")
    with open(path, "wb") as f:
        f.write(body)
    os.chmod(path, 0o644)
    h1, h2 = free_port(), free_port()
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(nginx_conf(tmp, www, h1, h2))
    srv = Server("nginx", ["nginx", "-p", tmp + "/", "-c", conf, "-e", os.path.join(tmp, "nginx-error.log")], tmp)
    return srv, f"http://{HOST}:{h1}", f"http://{HOST}:{h2}"


def ensure_badge_maker(log):
    """Installs badge-maker from package-lock.json with npm ci unless node_modules has it already."""
    if os.path.exists(os.path.join(HERE, "node_modules", "badge-maker", "package.json")):
        return
    log("installing badge-maker with npm ci ...")
    try:
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise CannotRun("npm ci took more than 5 minutes")
    if r.returncode != 0:
        raise CannotRun(f"npm ci failed in {HERE}:\n{r.stderr.decode(errors='replace')[-2000:]}")


def start_node(tmp):
    """badge_maker_server.mjs on two free ports; returns (server, HTTP/1.1 base URL, h2c base URL, the
    badge's body once it answers)."""
    h1, h2 = free_port(), free_port()
    srv = Server("badge-maker", ["node", os.path.join(HERE, "badge_maker_server.mjs"), "--host", HOST,
                                 "--h1-port", str(h1), "--h2-port", str(h2), "--workers", str(THREADS)],
                 tmp, cwd=HERE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and srv.alive():
        if "ready" in srv.output()[0]:
            break
        time.sleep(0.1)
    body = ready_or_stop(srv, f"http://{HOST}:{h1}/badge.svg", timeout=max(1.0, deadline - time.monotonic()))
    return srv, f"http://{HOST}:{h1}", f"http://{HOST}:{h2}", body
