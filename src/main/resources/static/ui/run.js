import {api, download, duration, el, fmt, follow, header, json, requireKey, when} from '/ui/app.js';
import {lineChart} from '/ui/charts.js';

await requireKey();
header();

const id = location.pathname.split('/').pop();
const error = document.getElementById('error');
const loss = lineChart(document.getElementById('loss-chart'), ['loss', 'val_loss']);
const accuracy = lineChart(document.getElementById('accuracy-chart'), ['accuracy', 'val_accuracy']);
const rate = lineChart(document.getElementById('lr-chart'), ['learning rate']);
let run = null;

function addEpoch(e) {
  if (e.epoch <= loss.count()) {
    return;
  }
  loss.push(e.epoch, [e.loss, e.valLoss]);
  accuracy.push(e.epoch, [e.accuracy, e.valAccuracy]);
  rate.push(e.epoch, [e.learningRate]);
  document.getElementById('epoch').textContent = e.epoch + ' / ' + run.progress.epochs;
}

function showStatus(status) {
  const cell = document.getElementById('status');
  cell.textContent = status;
  cell.className = 'status ' + status;
  document.getElementById('cancel').hidden = !(status === 'RUNNING' || status === 'QUEUED');
}

function render(r) {
  run = r;
  document.title = r.name + ' · Backprop';
  document.getElementById('name').textContent = r.name;
  showStatus(r.status);
  document.getElementById('best').textContent = r.best && r.best.epoch
    ? r.best.epoch + ' (' + r.best.monitor + ' ' + fmt(r.best.value) + ')' : '–';
  document.getElementById('started').textContent = when(r.startedAt);
  document.getElementById('duration').textContent = duration(r.startedAt, r.finishedAt);
  document.getElementById('attempts').textContent = r.attempts;
  document.getElementById('history').replaceChildren(...r.statusHistory.map(s =>
    el('tr', {}, el('td', {class: 'status ' + s.status, text: s.status}), el('td', {text: when(s.at)}),
      el('td', {text: s.reason || ''}))));
  document.getElementById('spec').textContent = JSON.stringify(r.spec, null, 2);
}

async function refresh() {
  render(await json('/api/v1/runs/' + id));
}

async function start() {
  try {
    await refresh();
    const epochs = await json('/api/v1/runs/' + id + '/metrics');
    epochs.forEach(addEpoch);
    follow('/api/v1/runs/' + id + '/events?after=' + loss.count(), (name, data) => {
      if (name === 'epoch') {
        addEpoch(data);
      } else if (name === 'status') {
        showStatus(data.status);
        refresh();
      }
    });
  } catch (e) {
    error.textContent = e.message;
  }
}

document.getElementById('cancel').addEventListener('click', async () => {
  const response = await api('/api/v1/runs/' + id + '/cancel', {method: 'POST'});
  if (!response.ok) {
    error.textContent = 'cancel failed: ' + response.status;
  }
});
for (const [button, path, file, accept] of [
  ['weights-json', '/weights', 'weights.json', 'application/json'],
  ['weights-safetensors', '/weights?format=safetensors', 'weights.safetensors', 'application/octet-stream'],
  ['history-csv', '/metrics', 'history.csv', 'text/csv']]) {
  document.getElementById(button).addEventListener('click', () =>
    download('/api/v1/runs/' + id + path, file, accept).catch(e => { error.textContent = e.message; }));
}

let steps = null;
document.getElementById('show-steps').addEventListener('click', async event => {
  const figure = document.getElementById('steps-chart');
  figure.hidden = false;
  event.target.setAttribute('aria-expanded', 'true');
  steps = steps || lineChart(figure, ['loss'], 'step');
  const points = await json('/api/v1/runs/' + id + '/metrics?granularity=step&points=2000');
  steps.set(points.map(p => p.step), [points.map(p => p.loss)]);
});
setInterval(() => {
  if (run && run.status === 'RUNNING') {
    document.getElementById('duration').textContent = duration(run.startedAt, null);
  }
}, 1000);
start();
