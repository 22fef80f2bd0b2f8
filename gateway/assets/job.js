// job.js - the progress page of an import: follows the job's events (GET /api/v1/jobs/ID/events),
// marks each state as it is reached, shows fetch and copy progress, then what the import did to the
// files, or why it failed. When the result names a runtime URL, the browser goes there.
'use strict';

(function () {
  const section = document.getElementById('job');
  if (!section) return;
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

  function summary(result) {
    outcome.replaceChildren();
    const files = result.files || {};
    for (const [key, label] of lists) {
      const names = files[key] || [];
      if (names.length === 0) continue;
      outcome.append(element('h2', '', label + ' (' + names.length + ')'));
      const ul = element('ul', 'files ' + key);
      for (const name of names.slice(0, 200)) ul.append(element('li', '', name));
      if (names.length > 200) ul.append(element('li', 'note', '… and ' + (names.length - 200) + ' more'));
      outcome.append(ul);
    }
    const env = result.environment || {};
    if (env.files && env.files.length) {
      outcome.append(element('p', 'note', 'The repository describes its environment in ' +
        env.files.map(f => (env.dir ? env.dir + '/' : '') + f).join(', ') + '.'));
    }
    if (result.open_path) outcome.prepend(element('p', 'open-path', 'In your project: ' + result.open_path));
    outcome.hidden = false;
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
      if (ev.result) summary(ev.result);
      if (ev.result && ev.result.url) window.location.assign(ev.result.url);
    } else if (ev.state === 'queued' && ev.retry_at) {
      status.textContent = 'Trying again shortly: ' + (ev.error || 'a temporary problem');
    } else if (ev.state === 'starting' && ev.message) {
      status.textContent = ev.message;
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
