// badge_maker_server.mjs - the badge benchmark's reference server: renders labgate's default badge with
// badge-maker's makeBadge on every request, over HTTP/1.1 (node:http) and h2c with prior knowledge
// (node:http2), one node:cluster worker per core.
//
//   node badge_maker_server.mjs --h1-port N --h2-port N [--host 127.0.0.1] [--workers 2]
//   node badge_maker_server.mjs --print      (writes the badge to stdout and exits)
//
// The primary prints "ready" on stdout once every worker listens on both ports, and stops its workers
// on SIGTERM or SIGINT.
import cluster from 'node:cluster';
import http from 'node:http';
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import { makeBadge } from 'badge-maker';

// The Jupyter mark as labgate embeds it (badge/logo.c): simple-icons 16.37.0, filled "whitesmoke"
// for every style but social, base64 in a data URI as shields.io does.
const JUPYTER_PATH =
  'M7.157 22.201A1.784 1.799 0 0 1 5.374 24a1.784 1.799 0 0 1-1.784-1.799 1.784 1.799 0 0 1 1.784-1.799 ' +
  '1.784 1.799 0 0 1 1.783 1.799zM20.582 1.427a1.415 1.427 0 0 1-1.415 1.428 1.415 1.427 0 0 1-1.416-1.428A' +
  '1.415 1.427 0 0 1 19.167 0a1.415 1.427 0 0 1 1.415 1.427zM4.992 3.336A1.047 1.056 0 0 1 3.946 4.39a1.047 ' +
  '1.056 0 0 1-1.047-1.055A1.047 1.056 0 0 1 3.946 2.28a1.047 1.056 0 0 1 1.046 1.056zm7.336 1.517c3.769 0 ' +
  '7.06 1.38 8.768 3.424a9.363 9.363 0 0 0-3.393-4.547 9.238 9.238 0 0 0-5.377-1.728A9.238 9.238 0 0 0 6.95 ' +
  '3.73a9.363 9.363 0 0 0-3.394 4.547c1.713-2.04 5.004-3.424 8.772-3.424zm.001 13.295c-3.768 0-7.06-1.381-' +
  '8.768-3.425a9.363 9.363 0 0 0 3.394 4.547A9.238 9.238 0 0 0 12.33 21a9.238 9.238 0 0 0 5.377-1.729 9.363 ' +
  '9.363 0 0 0 3.393-4.547c-1.712 2.044-5.003 3.425-8.772 3.425Z';

const LOGO_SVG =
  '<svg fill="whitesmoke" role="img" viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg">' +
  `<title>Jupyter</title><path d="${JUPYTER_PATH}"/></svg>`;

// labgate's default badge (badge/opts.c: lg_badge_opts_init).
const BADGE = {
  label: 'Open in',
  message: 'labgate',
  color: '#f37626',
  style: 'flat',
  logoBase64: 'data:image/svg+xml;base64,' + Buffer.from(LOGO_SVG).toString('base64'),
};

// The headers labgate sends with a badge, so both put about the same bytes on the wire.
const HEADERS = {
  'content-type': 'image/svg+xml; charset=utf-8',
  'cache-control': 'public, max-age=86400, s-maxage=86400',
  'content-security-policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

function respond(req, res) {
  if (req.method !== 'GET' || req.url.split('?')[0] !== '/badge.svg') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  const body = makeBadge(BADGE);
  res.writeHead(200, { ...HEADERS, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
}

async function worker(opts) {
  const h1 = http.createServer({ keepAliveTimeout: 60_000 }, respond);
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 128 } }, respond);
  await listen(h1, Number(opts['h1-port']), opts.host);
  await listen(h2, Number(opts['h2-port']), opts.host);
  process.send({ ready: true });
}

function primary(opts) {
  const count = Number(opts.workers);
  let ready = 0;
  const stop = () => {
    for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  cluster.on('message', (_w, msg) => {
    if (msg && msg.ready && ++ready === count) console.log('ready');
  });
  cluster.on('exit', (w, code, signal) => {
    if (ready < count) {
      console.error(`worker ${w.process.pid} exited before listening (code ${code}, signal ${signal})`);
      process.exit(1);
    }
    if (Object.keys(cluster.workers).length === 0) process.exit(0);
  });
  for (let i = 0; i < count; i++) cluster.fork();
}

const { values: opts } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    'h1-port': { type: 'string' },
    'h2-port': { type: 'string' },
    workers: { type: 'string', default: '2' },
    print: { type: 'boolean', default: false },
  },
});

if (opts.print) {
  process.stdout.write(makeBadge(BADGE));
} else if (!opts['h1-port'] || !opts['h2-port']) {
  console.error('usage: badge_maker_server.mjs --h1-port N --h2-port N [--host H] [--workers N] | --print');
  process.exit(2);
} else if (cluster.isPrimary) {
  primary(opts);
} else {
  worker(opts).catch((e) => {
    console.error(`cannot listen: ${e.message}`);
    process.exit(1);
  });
}
