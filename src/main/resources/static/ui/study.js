import {el, fmt, header, json, requireKey} from '/ui/app.js';
import {lineChart} from '/ui/charts.js';

await requireKey();
header();

const id = location.pathname.split('/').pop();
let chart = null;

async function load() {
  try {
    const study = await json('/api/v1/studies/' + id);
    const board = await json('/api/v1/studies/' + id + '/leaderboard');
    document.title = study.name + ' · Backprop';
    document.getElementById('name').textContent = study.name;
    const status = document.getElementById('status');
    status.textContent = study.status;
    status.className = 'status ' + study.status;
    document.getElementById('strategy').textContent = study.strategy;
    document.getElementById('objective').textContent = study.objective.metric + ' (' + study.objective.mode + ')';
    document.getElementById('rungs').textContent = study.rungs.join(' → ') + ' epochs';
    document.getElementById('best').textContent = study.best ? 'trial ' + study.best.position + ': ' + fmt(study.best.objective) : '–';
    const paths = board.length ? Object.keys(board[0].params) : [];
    document.getElementById('board-head').replaceChildren(el('tr', {},
      ...['rank', 'trial', 'status', 'epochs', study.objective.metric, ...paths].map(h => el('th', {scope: 'col', text: h}))));
    document.getElementById('board').replaceChildren(...board.map((t, i) => el('tr', {'data-trial': String(t.position)},
      el('td', {text: String(i + 1)}),
      el('td', {}, t.runId ? el('a', {href: '/ui/runs/' + t.runId, text: 't' + t.position}) : 't' + t.position),
      el('td', {class: 'status ' + t.status, text: t.status}),
      el('td', {class: 'num', text: String(t.epochs)}),
      el('td', {class: 'num', text: fmt(t.objective)}),
      ...paths.map(p => el('td', {class: 'num', text: typeof t.params[p] === 'number' && !Number.isInteger(t.params[p]) ? fmt(t.params[p]) : String(t.params[p])})))));

    const started = study.trials.filter(t => t.runId);
    const histories = await Promise.all(started.map(t => json('/api/v1/runs/' + t.runId + '/metrics')));
    const epochs = Math.max(0, ...histories.map(h => h.length));
    const xs = Array.from({length: epochs}, (_, i) => i + 1);
    document.getElementById('chart-title').textContent = study.objective.metric + ' per epoch';
    chart = chart || lineChart(document.getElementById('trials-chart'), started.map(t => 't' + t.position));
    chart.set(xs, histories.map(h => xs.map(x => {
      const row = h.find(r => r.epoch === x);
      return row ? row[study.objective.metric] ?? null : null;
    })));
    if (study.status === 'RUNNING') {
      setTimeout(load, 2000);
    }
  } catch (e) {
    document.getElementById('error').textContent = e.message;
  }
}

load();
