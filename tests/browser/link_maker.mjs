// link_maker.mjs - the link maker page in a real browser: typing a GitHub link shows the import link,
// a live badge and snippets; Copy puts them on the clipboard; a bad link says what is wrong; the badge
// leads to the import confirm page. Screenshots go to the output directory given as second argument.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, watchErrors } from './browser.mjs';
import { startGateway } from './gateway.mjs';

const [binary, outDir = 'screenshots'] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const NB = 'https://github.com/jupyter/notebook/blob/main/docs/source/examples/Notebook/Running Code.ipynb';

const gateway = await startGateway(binary);
const browser = await openBrowser();
try {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.base });

  await page.goto(gateway.base + '/');
  assert.equal(await page.title(), 'Open GitHub notebooks in your Jupyter · labgate');
  assert.equal(await page.isHidden('#result'), true);
  await page.screenshot({ path: join(outDir, 'link-maker-empty.png'), fullPage: true });

  // typing a link updates everything live, without submitting
  await page.fill('#url', NB);
  await page.waitForSelector('#result', { state: 'visible', timeout: 10000 });
  const importUrl = await page.inputValue('#import_url');
  assert.equal(importUrl,
    gateway.base + '/import/github/jupyter/notebook/blob/main/docs/source/examples/Notebook/Running%20Code.ipynb');
  const markdown = await page.inputValue('#markdown');
  assert.equal(markdown, `[![Open in labgate](${gateway.base}/badge.svg)](${importUrl})`);
  assert.match(await page.inputValue('#html'), /^<a href="http:\/\/127\.0\.0\.1:\d+\/import\/github\//);
  assert.match(await page.inputValue('#rst'), /^\.\. image:: http:\/\/127\.0\.0\.1:\d+\/badge\.svg\n   :target: /);
  await page.waitForFunction(() => document.getElementById('preview').naturalWidth > 0);
  assert.equal(await page.evaluate(() => document.getElementById('preview').naturalWidth), 121);
  assert.equal(new URL(page.url()).searchParams.get('url'), NB);
  await page.screenshot({ path: join(outDir, 'link-maker-result.png'), fullPage: true });

  // Copy puts the snippet on the clipboard
  await page.click('button[data-copy="markdown"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
  assert.equal(await page.textContent('button[data-copy="markdown"]'), 'Copied');

  // a bad link is explained, and the result goes away
  await page.fill('#url', 'https://gitlab.com/o/r');
  await page.waitForSelector('#error', { state: 'visible' });
  assert.match(await page.textContent('#error'), /not a GitHub link/);
  assert.equal(await page.isHidden('#result'), true);
  await page.screenshot({ path: join(outDir, 'link-maker-error.png'), fullPage: true });

  // the page reloads to the same result from its address, and the badge leads to the import page
  await page.goto(gateway.base + '/?url=' + encodeURIComponent(NB));
  assert.equal(await page.isVisible('#result'), true);
  await page.click('#preview_link');
  // signed out, the import link goes to the sign-in form first, and comes back after it
  await page.waitForSelector('form[action="/signin"]');
  await page.screenshot({ path: join(outDir, 'sign-in.png'), fullPage: true });
  await page.fill('#name', 'ada');
  await page.click('form[action="/signin"] button[type="submit"]');
  await page.waitForSelector('section.confirm');
  assert.equal(await page.textContent('strong.user'), 'ada');
  assert.equal(await page.isVisible('button[name="mode"][value="notebook"]'), true);
  assert.equal(await page.isVisible('button[name="mode"][value="repo"]'), true);
  assert.equal(await page.textContent('dl.target dd.repo'), 'jupyter/notebook');
  assert.match(await page.content(), /<dt>What<\/dt><dd>Notebook<\/dd>/);
  await page.screenshot({ path: join(outDir, 'import-confirm.png'), fullPage: true });

  // the only error a browser may log is the 400 answer to the bad link above
  assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  console.log('link maker: all checks passed; screenshots in ' + outDir);
} finally {
  await browser.close();
  const code = await gateway.stop();
  assert.equal(code, 0, 'labgate did not stop cleanly');
}
