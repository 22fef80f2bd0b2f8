// bullmq_noop.mjs - bench/queue: the same no-op jobs through BullMQ, for comparison with queue_noop.c.
// One Queue adds N jobs from P producer loops (default 1), each awaiting its `add` before the next (no
// addBulk: at most P adds in flight, as queue_noop's P producer threads; ioredis writes them on the
// Queue's one connection); one Worker with `concurrency: C` whose processor returns at once.
// Each job's data carries its sequence number and the time just before its `add`; the worker's
// 'completed' event (emitted once the job has been moved to completed in Redis) gives the
// enqueue-to-done latency. Jobs are added with removeOnComplete: true. A warm-up batch of W jobs runs
// first, unmeasured, in the same process (so the JIT and the scripts are warm).
//
//   node bullmq_noop.mjs --port PORT [--host 127.0.0.1] [--jobs N] [--concurrency C] [--producers P]
//                        [--warmup W] [--timeout S]
//
// Prints one line of JSON with the same fields as queue_noop (throughput, latency percentiles) and a
// profile of the Redis commands BullMQ's connections sent during the measured batch (counted by
// wrapping ioredis's Redis.prototype.sendCommand; scripts named from their SHA1). Exit status 0 when
// every job was done once, 1 otherwise (with "error" in the JSON).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    jobs: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    producers: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '1000' },
    timeout: { type: 'string', default: '300' },
  },
});
const jobs = Number(args.jobs), concurrency = Number(args.concurrency), warmup = Number(args.warmup);
const producers = Number(args.producers);
if (!args.port || !(jobs >= 1) || !(concurrency >= 1) || !(producers >= 1) || !(warmup >= 0)) {
  console.error('usage: node bullmq_noop.mjs --port PORT [--host H] [--jobs N] [--concurrency C] [--producers P] ' +
    '[--warmup W] [--timeout S]');
  process.exit(2);
}

// --- the command profile ------------------------------------------------------------------------------
const scripts = new Map(); // sha1 -> name
const origDefine = Redis.prototype.defineCommand;
Redis.prototype.defineCommand = function (name, definition) {
  if (definition && definition.lua) scripts.set(createHash('sha1').update(definition.lua).digest('hex'), name);
  return origDefine.call(this, name, definition);
};
const counts = new Map(); // name -> {calls, bytes}
let profiling = false;
const origSend = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, stream) {
  if (profiling) {
    let name = String(command.name).toUpperCase();
    const a = command.args || [];
    if ((name === 'EVALSHA' || name === 'EVAL') && a.length) {
      const sha = name === 'EVALSHA' ? String(a[0]) : createHash('sha1').update(String(a[0])).digest('hex');
      name += ` ${scripts.get(sha) || sha.slice(0, 12)}`;
    }
    let bytes = 0;
    for (const x of a) bytes += Buffer.isBuffer(x) ? x.length : Buffer.byteLength(String(x));
    const c = counts.get(name) || { calls: 0, bytes: 0 };
    c.calls++;
    c.bytes += bytes;
    counts.set(name, c);
  }
  return origSend.call(this, command, stream);
};

// --- the run ---------------------------------------------------------------------------------------------
const connection = { host: args.host, port: Number(args.port), maxRetriesPerRequest: null };
const name = 'bench';
const queue = new Queue(name, { connection });
const addOpts = { removeOnComplete: true, removeOnFail: false };

let batch = null; // {first, n, done, seen, latency, last, resolve, reject}
let failed = null;
const worker = new Worker(name, async () => {}, { connection, concurrency });
worker.on('completed', (job) => {
  const t = performance.now();
  const b = batch;
  const i = job.data.seq - (b ? b.first : 0);
  if (!b || i < 0 || i >= b.n) return finish(`a job that is not this batch's: ${JSON.stringify(job.data)}`);
  if (b.seen[i]++) return finish(`a job done twice: seq ${job.data.seq}`);
  b.latency[i] = t - job.data.t;
  b.last = t;
  if (++b.done === b.n) b.resolve();
});
worker.on('failed', (job, err) => finish(`job ${job && job.id} failed: ${err && err.message}`));
worker.on('error', (err) => finish(`worker error: ${err && err.message}`));

function finish(message) {
  failed = failed || message;
  if (batch) batch.reject(new Error(failed));
}

async function runBatch(first, n) {
  const b = { first, n, done: 0, seen: new Uint8Array(n), latency: new Float64Array(n), last: 0 };
  const finished = new Promise((resolve, reject) => Object.assign(b, { resolve, reject }));
  batch = b;
  const t0 = performance.now();
  // Producer p adds seq first + p, + producers, ... each add awaited before its next.
  const produce = async (p) => {
    for (let i = p; i < n && !failed; i += producers) {
      await queue.add('noop', { seq: first + i, t: performance.now() }, addOpts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(producers, n) }, (_, p) => produce(p)));
  const enqueueMs = performance.now() - t0;
  await finished;
  return { b, seconds: (b.last - t0) / 1e3, enqueueSeconds: enqueueMs / 1e3 };
}

function packageVersion(pkg) {
  try {
    const url = new URL(`node_modules/${pkg}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
  } catch {
    return null;
  }
}

function pct(sorted, p) {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

const out = { system: 'bullmq', jobs, producers, concurrency, warmup };
const timer = setTimeout(() => finish('timed out before every job was done'), Number(args.timeout) * 1e3);
let code = 0;
try {
  await queue.waitUntilReady();
  await worker.waitUntilReady();
  await new Promise((r) => setTimeout(r, 100));
  if (warmup > 0) await runBatch(0, warmup);
  if (failed) throw new Error(failed);
  profiling = true;
  const { b, seconds, enqueueSeconds } = await runBatch(warmup, jobs);
  profiling = false;
  const lat = Array.from(b.latency).sort((x, y) => x - y);
  const mean = lat.reduce((s, x) => s + x, 0) / lat.length;
  let calls = 0, bytes = 0;
  for (const c of counts.values()) {
    calls += c.calls;
    bytes += c.bytes;
  }
  Object.assign(out, {
    done: b.done,
    seconds,
    enqueue_seconds: enqueueSeconds,
    throughput: jobs / seconds,
    enqueue_rate: jobs / enqueueSeconds,
    latency_ms: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: lat[lat.length - 1], mean },
    profile: {
      commands_per_job: calls / jobs,
      bytes_sent_per_job: bytes / jobs,
      commands: [...counts.entries()]
        .sort((x, y) => y[1].calls - x[1].calls)
        .map(([command, c]) => ({ command, per_job: c.calls / jobs, bytes_per_call: c.bytes / c.calls })),
    },
    bullmq_version: packageVersion('bullmq'),
    ioredis_version: packageVersion('ioredis'),
  });
} catch (e) {
  out.error = failed || String(e && e.message);
  code = 1;
}
profiling = false;
clearTimeout(timer);
console.log(JSON.stringify(out));
await Promise.race([Promise.allSettled([worker.close(true), queue.close()]),
  new Promise((r) => setTimeout(r, 5000))]);
process.exit(code);
