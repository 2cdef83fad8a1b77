import {el, fmt, header, json, requireKey} from '/ui/app.js';
import {lineChart} from '/ui/charts.js';

await requireKey();
header();

/** Every leaf of a spec as path -> JSON text, so runs can be compared field by field. */
function flatten(value, path = '', out = {}) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [path + '[' + i + ']', v])
      : Object.entries(value).map(([k, v]) => [path ? path + '.' + k : k, v]);
    entries.forEach(([p, v]) => flatten(v, p, out));
  } else {
    out[path] = JSON.stringify(value);
  }
  return out;
}

async function start() {
  const ids = (new URLSearchParams(location.search).get('runs') || '').split(',').filter(Boolean);
  try {
    const runs = await Promise.all(ids.map(id => json('/api/v1/runs/' + id)));
    const histories = await Promise.all(ids.map(id => json('/api/v1/runs/' + id + '/metrics')));
    const labels = runs.map(r => r.name + ' (' + r.id.slice(0, 8) + ')');
    const epochs = Math.max(0, ...histories.map(h => h.length));
    const xs = Array.from({length: epochs}, (_, i) => i + 1);
    const column = (h, field, fallback) => xs.map(x => {
      const row = h.find(r => r.epoch === x);
      return row ? (row[field] ?? (fallback ? row[fallback] : null)) : null;
    });
    lineChart(document.getElementById('loss-chart'), labels).set(xs, histories.map(h => column(h, 'valLoss', 'loss')));
    lineChart(document.getElementById('accuracy-chart'), labels).set(xs, histories.map(h => column(h, 'valAccuracy', 'accuracy')));

    const specs = runs.map(r => flatten(r.spec));
    const paths = [...new Set(specs.flatMap(s => Object.keys(s)))].sort();
    const differing = paths.filter(p => new Set(specs.map(s => s[p])).size > 1);
    document.getElementById('diff-head').replaceChildren(el('tr', {}, el('th', {scope: 'col', text: 'field'}),
      ...runs.map((r, i) => el('th', {scope: 'col'}, el('a', {href: '/ui/runs/' + r.id, text: labels[i]})))));
    const rows = differing.map(p => el('tr', {class: 'differs'}, el('th', {scope: 'row', text: p}),
      ...specs.map(s => el('td', {text: s[p] ?? '–'}))));
    rows.push(el('tr', {}, el('th', {scope: 'row', text: 'best'}), ...runs.map(r => el('td', {
      text: r.best && r.best.epoch ? r.best.monitor + ' ' + fmt(r.best.value) + ' at epoch ' + r.best.epoch : '–'}))));
    rows.push(el('tr', {}, el('th', {scope: 'row', text: 'status'}), ...runs.map(r => el('td', {text: r.status}))));
    document.getElementById('diff-body').replaceChildren(...rows);
  } catch (e) {
    document.getElementById('error').textContent = e.message;
  }
}

start();
