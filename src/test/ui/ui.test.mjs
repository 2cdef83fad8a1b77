// The web UI in a real browser: Debian's Chromium driven by playwright-core (from .ci/node_modules).
// BrowserIT starts the service and runs this with node's test runner; env: BASE_URL, API_KEY,
// CHROMIUM (its path), SCREENSHOTS (a directory).
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {mkdirSync} from 'node:fs';

const require = createRequire(new URL('../../../.ci/package.json', import.meta.url));
const {chromium} = require('playwright-core');

const BASE = process.env.BASE_URL;
const KEY = process.env.API_KEY;
const SHOTS = process.env.SCREENSHOTS;
mkdirSync(SHOTS, {recursive: true});

let browser;
let page;
const problems = [];

async function api(path, options = {}) {
  const response = await fetch(BASE + path, Object.assign({}, options, {
    headers: Object.assign({'Authorization': 'Bearer ' + KEY, 'Content-Type': 'application/json'}, options.headers || {})
  }));
  return {status: response.status, body: await response.json().catch(() => null)};
}

function spec(name, epochs, rows) {
  return {
    name, dataset: {generator: {type: 'classification', rows, features: 16, classes: 3, seed: 4}},
    model: {layers: [{units: 32, activation: 'relu'}, {units: 3, activation: 'softmax'}], loss: 'cross_entropy'},
    optimizer: {type: 'sgd', learningRate: 0.05, momentum: 0.9},
    training: {epochs, batchSize: 8, validationSplit: 0.2, seed: 1}
  };
}

async function waitFor(condition, what, timeoutMs = 60000) {
  const start = Date.now();
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error('timed out waiting for ' + what);
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  });
  page = await browser.newPage({viewport: {width: 1366, height: 900}});
  page.on('console', m => { if (m.type() === 'error') { problems.push('console: ' + m.text()); } });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
});

after(async () => {
  await browser?.close();
});

test('an unknown key is refused at the login page', async () => {
  await page.goto(BASE + '/ui/runs/00000000-0000-0000-0000-000000000000');
  await page.waitForURL(/\/ui\/login/);
  await page.fill('input[name=apiKey]', 'bp_000000000000_not-a-key-not-a-key-not-a-key-xx');
  await page.click('button[type=submit]');
  await page.waitForSelector('#error:not(:empty)');
  assert.match(await page.textContent('#error'), /unknown, revoked or expired/);
  // the browser reports the refused check itself (with the reason phrase the server sent, if any);
  // nothing else may be logged
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^console: Failed to load resource: the server responded with a status of 401 \((Unauthorized)?\)$/);
  problems.length = 0;
});

test('log in with the keyboard, watch a run until its chart holds every epoch, and check it against the API', async () => {
  await page.goto(BASE + '/ui/login');
  await page.focus('input[name=apiKey]');
  await page.keyboard.type(KEY);
  await page.keyboard.press('Enter');
  await page.waitForURL(BASE + '/ui/');

  const epochs = 15;
  const submitted = await api('/api/v1/runs', {method: 'POST', body: JSON.stringify(spec('ui-watched', epochs, 6000))});
  assert.equal(submitted.status, 202);
  const id = submitted.body.id;
  await page.goto(BASE + '/ui/runs/' + id);
  await page.waitForSelector(`#loss-chart[data-epochs="${epochs}"]`, {timeout: 90000});
  await page.waitForSelector('#status.SUCCEEDED');
  const rows = (await api('/api/v1/runs/' + id + '/metrics')).body;
  assert.equal(rows.length, epochs);
  const last = JSON.parse(await page.getAttribute('#loss-chart', 'data-last'));
  assert.deepEqual(last, [rows[epochs - 1].loss, rows[epochs - 1].valLoss]);
  assert.equal(await page.getAttribute('#accuracy-chart', 'data-epochs'), String(epochs));
  assert.equal(await page.textContent('#epoch'), `${epochs} / ${epochs}`);
  assert.match(await page.textContent('#spec'), /"ui-watched"/);
  await page.click('#show-steps');
  await page.waitForSelector('#steps-chart:not([hidden]):not([data-epochs="0"])');
  await page.screenshot({path: SHOTS + '/run-page.png', fullPage: true});
});

test('cancel a running run from its page', async () => {
  const submitted = await api('/api/v1/runs', {method: 'POST', body: JSON.stringify(spec('ui-cancelled', 100000, 6000))});
  const id = submitted.body.id;
  await page.goto(BASE + '/ui/runs/' + id);
  await page.waitForSelector('#status.RUNNING', {timeout: 60000});
  await page.waitForSelector('#loss-chart:not([data-epochs="0"])', {timeout: 60000});
  await page.click('#cancel');
  await page.waitForSelector('#status.CANCELLED', {timeout: 30000});
  assert.equal((await api('/api/v1/runs/' + id)).body.status, 'CANCELLED');
  assert.equal(await page.isHidden('#cancel'), true);
});

test('the runs list shows both runs and filters by name; compare shows what differs', async () => {
  await page.goto(BASE + '/ui/');
  await page.waitForSelector('tr[data-run] a');
  const names = await page.$$eval('tr[data-run] a', links => links.map(a => a.textContent));
  assert.ok(names.includes('ui-watched') && names.includes('ui-cancelled'), names.join(','));
  await page.fill('#name', 'ui-watched');
  await page.click('#filters button[type=submit]');
  await waitFor(async () => (await page.$$('tr[data-run]')).length === 1, 'the filtered list');
  await page.screenshot({path: SHOTS + '/runs-list.png'});

  const runs = (await api('/api/v1/runs?size=50')).body.content.filter(r => r.name.startsWith('ui-'));
  await page.goto(BASE + '/ui/compare?runs=' + runs.map(r => r.id).join(','));
  await page.waitForSelector('#diff-body tr.differs');
  const differing = await page.$$eval('#diff-body tr.differs th', cells => cells.map(c => c.textContent));
  assert.ok(differing.includes('name'), differing.join(','));
  assert.ok(differing.includes('training.epochs'), differing.join(','));
  assert.notEqual(await page.getAttribute('#loss-chart', 'data-epochs'), '0');
  await page.screenshot({path: SHOTS + '/compare.png', fullPage: true});
});

test('a study page shows its leaderboard and every trial\'s curve', async () => {
  const study = await api('/api/v1/studies', {method: 'POST', body: JSON.stringify({
    name: 'ui-study', base: spec('ui-study-base', 4, 2000),
    space: {'optimizer.learningRate': {values: [0.01, 0.05]}, 'model.layers[0].units': {values: [8, 16]}},
    strategy: {type: 'grid', maxConcurrent: 2}})});
  assert.equal(study.status, 202);
  const id = study.body.id;
  await waitFor(async () => (await api('/api/v1/studies/' + id)).body.status === 'SUCCEEDED', 'the study', 90000);
  await page.goto(BASE + '/ui/studies/' + id);
  await waitFor(async () => (await page.$$('#board tr[data-trial]')).length === 4, 'the leaderboard');
  await page.waitForSelector('#trials-chart[data-epochs="4"]');
  const board = (await api('/api/v1/studies/' + id + '/leaderboard')).body;
  const first = await page.getAttribute('#board tr:first-child', 'data-trial');
  assert.equal(first, String(board[0].position));
  assert.equal(await page.textContent('#status'), 'SUCCEEDED');
  await page.screenshot({path: SHOTS + '/study.png', fullPage: true});
});

test('no console errors on any page', () => {
  assert.deepEqual(problems, []);
});
