// journey.mjs - a user's whole journey in a real browser, against `labgate dev` (its own Redis, a worker,
// local Jupyter servers) importing from a local `git daemon`: an import link signs in first, comes back to
// the confirm page, Copy notebook shows the job's progress and lands in the user's Jupyter with the
// notebook open; Clone whole repository of a repository that describes its environment stops on the job
// page with what to read and an "Open in Jupyter" link, which leads to the notebook in the working copy.
// At the end one SIGINT stops labgate dev, which must exit 0 leaving none of its processes behind.
// Everything runs on 127.0.0.1 inside one temp dir; screenshots (and the logs) go to the output directory
// given as second argument.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync,
  realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { openBrowser } from './browser.mjs';

const [binaryArg, outDir = 'screenshots'] = process.argv.slice(2);
const binary = resolvePath(binaryArg); // labgate dev runs in the temp dir
mkdirSync(outDir, { recursive: true });
const started = Date.now();
const OWNER = 'labgate-journey';
const NOTES = 'notes';   // a notebook and nothing else: Copy notebook goes straight into Jupyter
const COURSE = 'course'; // the same, with a requirements.txt: the job page has something to read first
const USER = 'grace';
const NOTES_TEXT = 'Hello from labgate journey';
const COURSE_TEXT = 'Hello from the labgate journey course';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'labgate-journey-')));
const gitDir = join(tmp, 'git'); // the git server's repositories
const labDir = join(tmp, 'lab'); // everything labgate dev writes: any process naming it is labgate's
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const LIMIT_MS = 120000; // the whole journey; past it the browser is closed, which ends every wait
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1) + ' s';

// --- git: two bare repositories built with the git CLI, served by a git daemon ---------------------------

const gitEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
Object.assign(gitEnv, {
  HOME: join(gitDir, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Journey Author', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_COMMITTER_NAME: 'Journey',
  GIT_COMMITTER_EMAIL: 'committer@example.com', GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_DATE: '1700000000 +0000', LC_ALL: 'C',
});

function git(...args) {
  return execFileSync('git', args, { env: gitEnv, timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] })
    .toString().trim();
}

function notebook(text) {
  return JSON.stringify({
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# ' + text + '\n', '\n', 'This notebook came from a local git daemon.'] },
      { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['print(6 * 7)'] },
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' } },
    nbformat: 4, nbformat_minor: 4,
  }, null, 1) + '\n';
}

function makeRepo(name, files) {
  const bare = join(gitDir, 'root', OWNER, name + '.git');
  const work = join(gitDir, 'work-' + name);
  git('init', '-q', '--bare', '--initial-branch=main', bare);
  git('init', '-q', '--initial-branch=main', work);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  git('-C', work, 'add', '-A');
  git('-C', work, 'commit', '-q', '-m', 'The ' + name + ' of the journey');
  git('-C', work, 'push', '-q', bare, 'main:main');
  rmSync(work, { recursive: true, force: true });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function connects(port) {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    sock.setTimeout(1000);
    sock.on('connect', () => { sock.destroy(); resolve(true); });
    sock.on('error', () => resolve(false));
    sock.on('timeout', () => { sock.destroy(); resolve(false); });
  });
}

function exitOf(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.exitCode ?? proc.signalCode);
    else proc.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

async function waitExit(proc, ms) {
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  const result = await Promise.race([exitOf(proc), timeout]);
  clearTimeout(timer);
  return result;
}

// setpriv --pdeathsig: a child dies with this test even when a timeout SIGKILLs it.
const SETPRIV = existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'TERM', '--'] : [];

async function startGitDaemon() {
  const daemon = join(git('--exec-path'), 'git-daemon');
  const log = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const argv = [...SETPRIV, daemon, '--reuseaddr', '--listen=127.0.0.1', '--port=' + port,
      '--base-path=' + join(gitDir, 'root'), '--export-all', '--timeout=60', '--verbose', join(gitDir, 'root')];
    // a process group of its own, so that stopping it stops its upload-pack children too
    const proc = spawn(argv[0], argv.slice(1), { env: gitEnv, cwd: gitDir, detached: true,
      stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr.on('data', (chunk) => log.push(chunk.toString()));
    for (let i = 0; i < 100 && proc.exitCode === null; i++) {
      if (await connects(port)) return { proc, port, log };
      await sleep(50);
    }
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
    await waitExit(proc, 5000);
  }
  throw new Error('git daemon did not start:\n' + log.join(''));
}

async function stopGitDaemon(daemon) {
  try { process.kill(-daemon.proc.pid, 'SIGTERM'); } catch { /* gone */ }
  if (await waitExit(daemon.proc, 10000) === 'timeout') {
    try { process.kill(-daemon.proc.pid, 'SIGKILL'); } catch { /* gone */ }
    await waitExit(daemon.proc, 5000);
  }
}

// --- labgate dev ---------------------------------------------------------------------------------------

async function startLabgate(githubUrl) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LABGATE_')));
  Object.assign(env, {
    LABGATE_GITHUB_URL: githubUrl,
    LABGATE_PROJECTS_DIR: join(labDir, 'projects'),
    LABGATE_CACHE_DIR: join(labDir, 'cache'),
    LABGATE_RUNTIME_DIR: join(labDir, 'runtime'),
    LABGATE_THREADS: '1',
    LABGATE_WORKER_CONCURRENCY: '2',
    LABGATE_SHUTDOWN_TIMEOUT: '2s',
    LABGATE_FETCH_TIMEOUT: '30s',
    LABGATE_RUNTIME_START_TIMEOUT: '45s',
  });
  mkdirSync(labDir, { recursive: true });
  const argv = [...SETPRIV, binary, 'dev', '--listen', '127.0.0.1:0'];
  const proc = spawn(argv[0], argv.slice(1), { env, cwd: labDir, stdio: ['ignore', 'ignore', 'pipe'] });
  const log = [];
  proc.stderr.on('data', (chunk) => log.push(chunk.toString()));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error('labgate dev did not start:\n' + log.join('')));
    }, 20000);
    const look = () => {
      const m = log.join('').match(/event=listening .*port=(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    proc.stderr.on('data', look);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error('labgate dev exited with ' + code + ':\n' + log.join(''))); });
  });
  // the address it tells the user to open is the one it listens on, also with --listen 127.0.0.1:0
  const banner = log.join('').match(/labgate is running: open (\S+) /);
  assert.equal(banner?.[1], `http://127.0.0.1:${port}/`, 'the address labgate dev prints');
  return { proc, log, base: `http://127.0.0.1:${port}` };
}

// The processes (other than this one) whose command line or working directory names dir.
function processesIn(dir) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let cmdline = '', cwd = '';
    try { cmdline = readFileSync(`/proc/${name}/cmdline`).toString().replaceAll('\0', ' ').trim(); } catch { continue; }
    try { cwd = readlinkSync(`/proc/${name}/cwd`); } catch { /* gone, or not ours to read */ }
    if (cmdline.includes(dir) || cwd === dir || cwd.startsWith(dir + '/'))
      found.push({ pid: Number(name), cmdline: cmdline || '(zombie)', cwd });
  }
  return found;
}

async function leftovers(dir, ms) {
  let left = processesIn(dir);
  for (let waited = 0; left.length > 0 && waited < ms; waited += 100) {
    await sleep(100);
    left = processesIn(dir);
  }
  return left;
}

function saveLogs(lab, daemon) {
  const logs = join(outDir, 'journey-logs');
  mkdirSync(logs, { recursive: true });
  if (lab) writeFileSync(join(logs, 'labgate-dev.log'), lab.log.join(''));
  if (daemon) writeFileSync(join(logs, 'git-daemon.log'), daemon.log.join(''));
  const copies = [[join(labDir, 'cache', '.labgate-dev', 'worker.log'), 'worker.log'],
    [join(labDir, 'cache', '.labgate-dev', 'redis.log'), 'redis.log'],
    [join(labDir, 'runtime', USER, 'server.log'), 'jupyter-server.log']];
  for (const [from, to] of copies) if (existsSync(from)) copyFileSync(from, join(logs, to));
  return logs;
}

// --- the journey ---------------------------------------------------------------------------------------

let daemon = null, lab = null, browser = null, failed = false;
const watchdog = setTimeout(() => {
  console.error(`journey: not done within ${LIMIT_MS / 1000} s; closing the browser`);
  if (browser) browser.context.close().catch(() => {});
}, LIMIT_MS);
try {
  makeRepo(NOTES, { 'README.md': '# Notes\n', 'lessons/intro.ipynb': notebook(NOTES_TEXT) });
  makeRepo(COURSE, { 'README.md': '# Course\n', 'requirements.txt': 'numpy\n',
    'lessons/intro.ipynb': notebook(COURSE_TEXT), 'data/points.csv': 'x,y\n1,2\n' });
  daemon = await startGitDaemon();
  lab = await startLabgate(`git://127.0.0.1:${daemon.port}`);
  browser = await openBrowser();
  const { context } = browser;
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  // errors on labgate's pages fail the test; Jupyter's own are only reported
  const errors = [], jupyterErrors = [];
  const ours = (url) => (url || '').startsWith(lab.base + '/');
  const record = (where, text) => (ours(page.url()) || ours(where) ? errors : jupyterErrors).push(text);
  page.on('console', (msg) => { if (msg.type() === 'error') record(msg.location().url, msg.text()); });
  page.on('pageerror', (err) => record('', err.message));

  // the job page's states, as the page marks them (so that a page that navigates on at once is still seen)
  const seen = [];
  await context.exposeBinding('__journeyState', ({ page: p }, state, status) => {
    seen.push({ url: p.url(), state, status });
  });
  await context.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const job = document.getElementById('job');
      if (!job || !window.__journeyState) return;
      const report = () => window.__journeyState(job.dataset.state, job.querySelector('.status').textContent);
      report();
      new MutationObserver(report).observe(job, { attributes: true, attributeFilter: ['data-state'] });
    });
  });

  // 1. the import link, signed out: the sign-in form first
  const notesLink = `${lab.base}/import/github/${OWNER}/${NOTES}/blob/main/lessons/intro.ipynb`;
  await page.goto(notesLink);
  await page.waitForSelector('form[action="/signin"]');
  assert.match(page.url(), /\/signin\?next=/);
  await page.screenshot({ path: join(outDir, 'journey-1-sign-in.png'), fullPage: true });
  await page.fill('#name', USER);
  await page.click('form[action="/signin"] button[type="submit"]');

  // 2. back on the confirm page of the link
  await page.waitForSelector('section.confirm');
  assert.equal(page.url(), notesLink);
  assert.equal(await page.textContent('strong.user'), USER);
  assert.equal(await page.textContent('dl.target dd.repo'), `${OWNER}/${NOTES}`);
  assert.match(await page.content(), /<dt>What<\/dt><dd>Notebook<\/dd>/);
  assert.equal((await page.textContent('button[name="mode"][value="notebook"]')).trim(), 'Copy notebook');
  await page.screenshot({ path: join(outDir, 'journey-2-confirm.png'), fullPage: true });

  // 3. Copy notebook: the job page follows the import...
  await page.click('button[name="mode"][value="notebook"]');
  await page.waitForURL(/\/jobs\/[^/]+$/, { waitUntil: 'domcontentloaded' });
  const notesJob = page.url();
  try {
    await page.screenshot({ path: join(outDir, 'journey-3-job-progress.png'), fullPage: true });
  } catch (e) {
    console.log('note: the job page went on before its screenshot: ' + e.message.split('\n')[0]);
  }

  // 4. ...and goes into Jupyter by itself, at the notebook, its first cell rendered
  await page.waitForURL((u) => u.port !== new URL(lab.base).port && u.pathname.startsWith('/notebooks/'),
    { timeout: 45000, waitUntil: 'domcontentloaded' });
  const jupyter = new URL(page.url());
  assert.equal(jupyter.hostname, '127.0.0.1');
  assert.equal(decodeURIComponent(jupyter.pathname), `/notebooks/${NOTES}/lessons/intro.ipynb`);
  await page.locator('.text_cell_render.rendered_html', { hasText: NOTES_TEXT }).first()
    .waitFor({ state: 'visible', timeout: 30000 });
  await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ timeout: 15000 })
    .catch(() => console.log('note: the kernel did not report idle within 15 s'));
  await page.screenshot({ path: join(outDir, 'journey-4-jupyter-notebook.png') });
  const notesStates = seen.filter((s) => s.url === notesJob).map((s) => s.state);
  assert.equal(notesStates.at(-1), 'ready', 'the job page never showed the job ready: ' + JSON.stringify(seen));
  assert.equal(seen.filter((s) => s.url === notesJob).at(-1).status, 'Done: opening your notebook in Jupyter…');
  assert.equal(seen.find((s) => s.url === notesJob && s.state === 'starting')?.status, 'Starting your Jupyter server…');
  assert.ok(existsSync(join(labDir, 'projects', USER, NOTES, 'lessons', 'intro.ipynb')));
  assert.ok(!existsSync(join(labDir, 'projects', USER, NOTES, 'README.md')), 'Copy notebook copied more');
  console.log(`notebook journey: in Jupyter at ${elapsed()}; job page states ${notesStates.join(' > ')}`);

  // Back from Jupyter is the confirm page: the job page, which went on by itself, is not in the way
  await page.goBack({ waitUntil: 'domcontentloaded' });
  await page.waitForTimeout(1500); // time for a job page to go on again, if it is wrongly there
  assert.equal(page.url(), notesLink, 'Back from Jupyter did not return to the confirm page');
  await page.waitForSelector('section.confirm');

  // 5. Clone whole repository, of the repository with a requirements.txt: signed in, straight to confirm
  const courseLink = `${lab.base}/import/github/${OWNER}/${COURSE}/blob/main/lessons/intro.ipynb`;
  await page.goto(courseLink);
  await page.waitForSelector('section.confirm');
  assert.equal(await page.textContent('dl.target dd.repo'), `${OWNER}/${COURSE}`);
  await page.screenshot({ path: join(outDir, 'journey-5-confirm-repo.png'), fullPage: true });
  await page.click('button[name="mode"][value="repo"]');
  await page.waitForURL(/\/jobs\/[^/]+$/, { waitUntil: 'domcontentloaded' });
  const courseJob = page.url();
  assert.equal(await page.textContent('#job h1'), 'Cloning from GitHub');
  assert.equal(await page.textContent('#job p.link'), `https://github.com/${OWNER}/${COURSE}/blob/main/lessons/intro.ipynb`);

  // 6. the job ends on its page: the environment file to read, and the link into Jupyter
  await page.locator('#job .open-runtime a.open').waitFor({ state: 'visible', timeout: 45000 });
  assert.equal(await page.getAttribute('#job', 'data-state'), 'ready');
  assert.equal(await page.textContent('#job .status'),
    'Done: see below what software the repository needs, then open Jupyter.');
  assert.equal(await page.textContent('#job .environment ul.env li code'), 'requirements.txt');
  assert.match(await page.textContent('#job .environment'), /requirements\.txt: install its Python packages with/);
  assert.match(await page.textContent('#job .open-path'), new RegExp(`In your project: ${COURSE}/lessons/intro\\.ipynb`));
  assert.equal(page.url(), courseJob, 'the job page went on by itself although there was something to read');
  await page.screenshot({ path: join(outDir, 'journey-6-job-repo-ready.png'), fullPage: true });

  // 7. Open in Jupyter: the notebook, in the working copy, on the same user's server
  await page.click('#job a.open');
  await page.waitForURL((u) => u.pathname.startsWith('/notebooks/'), { timeout: 30000, waitUntil: 'domcontentloaded' });
  const jupyter2 = new URL(page.url());
  assert.equal(jupyter2.port, jupyter.port, 'the second import started another Jupyter server');
  assert.equal(decodeURIComponent(jupyter2.pathname), `/notebooks/${COURSE}/lessons/intro.ipynb`);
  await page.locator('.text_cell_render.rendered_html', { hasText: COURSE_TEXT }).first()
    .waitFor({ state: 'visible', timeout: 30000 });
  await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ timeout: 15000 })
    .catch(() => console.log('note: the kernel did not report idle within 15 s'));
  await page.screenshot({ path: join(outDir, 'journey-7-jupyter-repo-notebook.png') });
  assert.ok(statSync(join(labDir, 'projects', USER, COURSE, '.git')).isDirectory(), 'the clone is no git working copy');

  // 8. the repository's folder in Jupyter's file tree
  await page.goto(`http://127.0.0.1:${jupyter.port}/tree/${COURSE}`);
  for (const name of ['lessons', 'data', 'README.md', 'requirements.txt'])
    await page.locator('#notebook_list .item_link', { hasText: name }).first().waitFor({ timeout: 15000 });
  await page.screenshot({ path: join(outDir, 'journey-8-jupyter-repo-tree.png') });
  console.log(`repo journey: in Jupyter at ${elapsed()}; job page states ` +
    seen.filter((s) => s.url === courseJob).map((s) => s.state).join(' > '));

  assert.deepEqual(errors, [], 'errors on labgate pages');
  if (jupyterErrors.length) console.log('note: Jupyter pages logged: ' + JSON.stringify(jupyterErrors));
} catch (e) {
  failed = true;
  throw e;
} finally {
  clearTimeout(watchdog);
  // the browser first (it holds Jupyter pages open), then one SIGINT to labgate dev, then the git daemon
  const problems = [];
  if (browser) await browser.close().catch((e) => problems.push('browser: ' + e.message));
  if (lab) {
    const before = processesIn(labDir);
    lab.proc.kill('SIGINT');
    const code = await waitExit(lab.proc, 60000);
    if (code === 'timeout') {
      lab.proc.kill('SIGKILL');
      await waitExit(lab.proc, 5000);
    }
    if (code !== 0) problems.push(`labgate dev exited with ${code} after SIGINT`);
    const atExit = processesIn(labDir);
    const stopped = Date.now();
    const left = await leftovers(labDir, 3000);
    if (atExit.length > 0)
      console.log(`note: ${atExit.length} of its processes were still running as labgate dev exited; ` +
        `gone ${Date.now() - stopped} ms later: ` + atExit.map((p) => p.cmdline.slice(0, 90)).join(' | '));
    if (left.length > 0) {
      problems.push('left running after labgate dev stopped: ' + JSON.stringify(left));
      for (const p of left) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    const kinds = (re) => before.filter((p) => re.test(p.cmdline)).length;
    console.log(`labgate dev stopped (${code}) at ${elapsed()}: it had ${kinds(/jupyter-notebook/)} Jupyter ` +
      `server(s), ${kinds(/ipykernel/)} kernel(s), ${kinds(/redis-server/)} redis-server, ` +
      `${kinds(/ worker /)} worker; ${left.length} left`);
  }
  if (daemon) await stopGitDaemon(daemon);
  const left = await leftovers(tmp, 3000); // the git daemon's, or a labgate dev's that did not start
  if (left.length > 0) {
    problems.push('left running at the end: ' + JSON.stringify(left));
    for (const p of left) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  const logs = saveLogs(lab, daemon);
  rmSync(tmp, { recursive: true, force: true });
  if (problems.length > 0) {
    if (!failed) {
      console.error('logs in ' + logs);
      assert.fail(problems.join('\n'));
    }
    console.error('also: ' + problems.join('\n'));
  }
  if (failed) console.error('logs in ' + logs + '\nlabgate dev said:\n' + (lab ? lab.log.join('').slice(-4000) : ''));
}
console.log(`journey: all checks passed in ${elapsed()}; screenshots in ${outDir}`);
