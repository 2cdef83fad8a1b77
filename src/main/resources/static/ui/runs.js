import {duration, el, fmt, follow, header, json, requireKey, when} from '/ui/app.js';

await requireKey();
header();

const body = document.getElementById('runs');
const rows = new Map();
let stream = null;

function query() {
  const form = new FormData(document.getElementById('filters'));
  const params = new URLSearchParams({size: '50'});
  for (const key of ['status', 'name', 'tag']) {
    if (form.get(key)) {
      params.set(key, form.get(key));
    }
  }
  return params;
}

function row(run) {
  const progress = el('progress', {max: '1', value: String(run.progress.fraction), 'aria-label': 'progress of ' + run.name});
  const tr = el('tr', {'data-run': run.id},
    el('td', {}, el('input', {type: 'checkbox', value: run.id, 'aria-label': 'select ' + run.name})),
    el('td', {}, el('a', {href: '/ui/runs/' + run.id, text: run.name})),
    el('td', {class: 'status ' + run.status, text: run.status}),
    el('td', {}, progress, ' ' + run.progress.epoch + '/' + run.progress.epochs),
    el('td', {class: 'num loss', text: fmt(run.metrics.loss)}),
    el('td', {class: 'num accuracy', text: fmt(run.metrics.accuracy)}),
    el('td', {text: when(run.startedAt)}),
    el('td', {class: 'duration', text: duration(run.startedAt, run.finishedAt)}));
  rows.set(run.id, {tr, run, progress});
  return tr;
}

async function load() {
  try {
    const page = await json('/api/v1/runs?' + query());
    rows.clear();
    body.replaceChildren(...page.content.map(row));
    document.getElementById('count').textContent = page.totalElements + ' runs';
    document.getElementById('error').textContent = '';
    watch(page.content.filter(r => r.status === 'QUEUED' || r.status === 'RUNNING').map(r => r.id));
  } catch (e) {
    document.getElementById('error').textContent = e.message;
  }
}

// one connection for every active run on the page; its epochs and status changes update the rows
function watch(ids) {
  stream?.stop();
  stream = null;
  if (!ids.length) {
    return;
  }
  stream = follow('/api/v1/events?runs=' + ids.join(','), (name, data) => {
    const entry = rows.get(data.runId);
    if (!entry) {
      return;
    }
    if (name === 'epoch') {
      entry.tr.querySelector('.loss').textContent = fmt(data.loss);
      entry.tr.querySelector('.accuracy').textContent = fmt(data.accuracy);
      entry.progress.value = data.epoch / entry.run.progress.epochs;
      entry.progress.nextSibling.textContent = ' ' + data.epoch + '/' + entry.run.progress.epochs;
    } else if (name === 'status') {
      const cell = entry.tr.querySelector('.status');
      cell.textContent = data.status;
      cell.className = 'status ' + data.status;
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.status)) {
        setTimeout(load, 500);
      }
    }
  });
}

document.getElementById('filters').addEventListener('submit', event => {
  event.preventDefault();
  load();
});
document.getElementById('compare').addEventListener('click', () => {
  const ids = [...body.querySelectorAll('input[type=checkbox]:checked')].map(c => c.value);
  if (ids.length >= 2) {
    location.assign('/ui/compare?runs=' + ids.join(','));
  }
});
setInterval(() => {
  for (const {tr, run} of rows.values()) {
    if (run.status === 'RUNNING') {
      tr.querySelector('.duration').textContent = duration(run.startedAt, null);
    }
  }
}, 1000);
setInterval(load, 15000);
load();
