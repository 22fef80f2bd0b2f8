// home.js - the link maker: updates the import link, badge and snippets as a GitHub link is typed,
// through GET /api/v1/links, and copies them on request. The page works without it.
'use strict';

(function () {
  const form = document.getElementById('maker');
  const input = document.getElementById('url');
  const error = document.getElementById('error');
  const result = document.getElementById('result');
  const fields = ['import_url', 'markdown', 'html', 'rst'];
  let timer = null;
  let latest = 0;

  function show(body) {
    for (const name of fields) document.getElementById(name).value = body[name];
    document.getElementById('preview').src = body.badge_url;
    document.getElementById('preview_link').href = body.import_url;
    error.hidden = true;
    result.hidden = false;
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    result.hidden = true;
  }

  async function update() {
    const url = input.value.trim();
    const mine = ++latest;
    history.replaceState(null, '', url ? '?url=' + encodeURIComponent(url) : '/');
    if (!url) {
      error.hidden = true;
      result.hidden = true;
      return;
    }
    let res;
    try {
      res = await fetch('/api/v1/links?url=' + encodeURIComponent(url));
    } catch (e) {
      if (mine === latest) fail('labgate could not be reached: ' + e.message);
      return;
    }
    const json = (res.headers.get('content-type') || '').startsWith('application/json');
    const body = json ? await res.json() : null;
    if (mine !== latest) return;
    if (res.ok && body) show(body);
    else fail(body && body.error ? body.error.message : 'labgate answered ' + res.status + ': ' + (await res.text()));
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', async function () {
      const field = document.getElementById(button.dataset.copy);
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch (e) {
        document.execCommand('copy');
      }
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = 'Copy'; }, 1500);
    });
  }
})();
