// job.js - the progress page of an import: follows the job's events (GET /api/v1/jobs/ID/events),
// marks each state as it is reached, shows fetch and copy progress, then what the import did to the
// files, or why it failed. When the result names a runtime URL, the browser goes there.
'use strict';

(function () {
  const section = document.getElementById('job');
  if (!section) return;
  // A page opened well after the job ended (a reload, a bookmark) offers the link rather than jumping to a
  // server that may have stopped since; one that ended a moment ago (a fast import) still goes on.
  const endedAtLoad = (section.dataset.state === 'ready' || section.dataset.state === 'failed') &&
    Date.now() - Number(section.dataset.updated || 0) > 60000;
  const order = ['queued', 'resolving', 'fetching', 'materializing', 'starting', 'ready'];
  const status = section.querySelector('.status');
  const outcome = section.querySelector('.outcome');
  const bar = section.querySelector('.progress');
  const meter = bar.querySelector('progress');
  const detail = bar.querySelector('.detail');
  const lists = [
    ['created', 'Created'], ['updated', 'Updated'], ['restored', 'Restored'],
    ['kept', 'Kept your version (you changed it)'], ['beside', 'New version saved beside yours'],
    ['unchanged', 'Already up to date'], ['skipped', 'Skipped (links that leave the repository)'],
  ];

  function mark(state) {
    const at = order.indexOf(state);
    for (const li of section.querySelectorAll('.states li')) {
      const i = order.indexOf(li.dataset.state);
      li.className = state === 'ready' || (at >= 0 && i < at) ? 'done' : i === at ? 'current' : '';
    }
    section.dataset.state = state;
  }

  function mib(bytes) {
    return (bytes / 1048576).toFixed(1) + ' MiB';
  }

  function progress(ev) {
    let done = null, total = null, text = '';
    if (ev.state === 'fetching' && ev.total_objects) {
      done = ev.objects; total = ev.total_objects;
      text = ev.objects + ' of ' + ev.total_objects + ' objects, ' + mib(ev.bytes || 0);
    } else if (ev.state === 'materializing' && ev.total_files) {
      done = ev.files; total = ev.total_files;
      text = ev.files + ' of ' + ev.total_files + ' files';
    }
    bar.hidden = total === null;
    if (total !== null) {
      meter.max = total;
      meter.value = done;
      detail.textContent = text;
    }
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // How to use each environment file a repository may carry, as Binder reads them; `quoted` is code.
  const envHelp = {
    'requirements.txt': 'install its Python packages with `%pip install -r requirements.txt` in a notebook cell',
    'environment.yml': 'create its conda environment with `conda env create -f environment.yml` where conda is ' +
      'available, or install the pip packages it lists with `%pip install`',
    'environment.yaml': 'create its conda environment with `conda env create -f environment.yaml` where conda ' +
      'is available',
    'Pipfile': 'install its packages with `pipenv install`',
    'pyproject.toml': 'install it with `%pip install .` in a notebook cell',
    'setup.py': 'install it with `%pip install .` in a notebook cell',
    'install.R': 'run install.R in R to install its R packages',
    'DESCRIPTION': 'install its R package dependencies, e.g. with `remotes::install_deps()`',
    'Project.toml': 'instantiate its Julia project with `] activate .` and `] instantiate`',
    'apt.txt': 'it lists system packages (apt.txt) that an administrator has to install',
    'runtime.txt': 'it names the language version it expects in runtime.txt',
    'postBuild': 'it expects the postBuild script to be run once after installing',
    'start': 'it expects the start script to run before Jupyter starts',
    'Dockerfile': 'it describes its own container image in its Dockerfile',
  };

  // text with its `quoted` parts as code
  function withCode(parent, text) {
    text.split('`').forEach((part, i) => parent.append(i % 2 ? element('code', '', part) : part));
    return parent;
  }

  function environment(env, folder) {
    if (!env.files || env.files.length === 0) return null;
    const where = folder + (env.dir ? '/' + env.dir : '');
    const box = element('div', 'environment');
    box.append(element('h2', '', 'Its environment'));
    box.append(withCode(element('p'), 'The repository describes the software it needs, in `' + where + '`:'));
    const ul = element('ul', 'env');
    for (const f of env.files) {
      const li = element('li');
      li.append(element('code', '', f));
      if (envHelp[f]) withCode(li, ': ' + envHelp[f] + '.');
      ul.append(li);
    }
    box.append(ul);
    return box;
  }

  // What the import did, file by file; returns what of it asks for the reader's attention: null when
  // nothing does, else 'files' (files kept, saved beside or skipped) or 'environment'.
  function summary(result) {
    outcome.replaceChildren();
    const files = result.files || {};
    let notable = null;
    for (const [key, label] of lists) {
      const names = files[key] || [];
      if (names.length === 0) continue;
      if (key === 'kept' || key === 'beside' || key === 'skipped') notable = 'files';
      outcome.append(element('h2', '', label + ' (' + names.length + ')'));
      const ul = element('ul', 'files ' + key);
      for (const name of names.slice(0, 200)) ul.append(element('li', '', name));
      if (names.length > 200) ul.append(element('li', 'note', '… and ' + (names.length - 200) + ' more'));
      outcome.append(ul);
    }
    const folder = (result.open_path || '').split('/')[0];
    const env = environment(result.environment || {}, folder);
    if (env) {
      outcome.append(env);
      notable = notable || 'environment';
    }
    if (result.open_path) outcome.prepend(element('p', 'open-path', 'In your project: ' + result.open_path));
    outcome.hidden = false;
    return notable;
  }

  // Into Jupyter: at once when there is nothing to read first; otherwise the reader follows the link.
  function open(result, notable) {
    const link = element('a', 'open', 'Open in Jupyter');
    link.href = result.url;
    const p = element('p', 'open-runtime');
    p.append(link);
    outcome.prepend(p);
    status.textContent = notable === 'files' ? 'Done: read what happened to your files, then open Jupyter.'
      : notable ? 'Done: see below what software the repository needs, then open Jupyter.'
        : 'Done: opening your notebook in Jupyter…';
    // replace: Back from Jupyter goes to the page before, not to this one, which would go on again
    if (endedAtLoad) {
      status.textContent = 'This import finished earlier. If your Jupyter has stopped since, import again to ' +
        'start it.';
      return;
    }
    if (!notable) window.location.replace(result.url);
  }

  function show(ev) {
    mark(ev.state);
    progress(ev);
    if (ev.state === 'failed') {
      status.textContent = 'The import failed: ' + (ev.error || 'no reason was given');
      status.className = 'status message';
    } else if (ev.state === 'ready') {
      status.textContent = 'Done.';
      bar.hidden = true;
      const notable = ev.result ? summary(ev.result) : null;
      if (ev.result && ev.result.url) open(ev.result, notable);
    } else if (ev.state === 'queued' && ev.retry_at) {
      status.textContent = 'Trying again shortly: ' + (ev.error || 'a temporary problem');
    } else if (ev.state === 'starting' && ev.message) {
      // the worker's message is lower-case API text ("starting your Jupyter server"): a sentence here
      status.textContent = ev.message.charAt(0).toUpperCase() + ev.message.slice(1) +
        (/[.…!?]$/.test(ev.message) ? '' : '…');
    } else {
      status.textContent = 'Working on it…';
    }
  }

  const source = new EventSource(section.dataset.events);
  source.addEventListener('state', (e) => {
    const ev = JSON.parse(e.data);
    show(ev);
    if (ev.state === 'ready' || ev.state === 'failed') source.close();
  });
  source.addEventListener('unavailable', (e) => {
    status.textContent = JSON.parse(e.data).error.message;
  });
  source.addEventListener('available', () => {
    show({ state: section.dataset.state });
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CONNECTING) status.textContent = 'Reconnecting…';
  };
})();
