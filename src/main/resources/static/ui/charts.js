// uPlot line charts that grow as epochs arrive; each keeps data-epochs = the points it draws.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#0550ae', '#a40e26', '#116329'];

export function lineChart(figure, seriesLabels, xLabel = 'epoch') {
  const width = Math.max(320, figure.clientWidth - 16);
  const series = [{label: xLabel}].concat(seriesLabels.map((label, i) => ({
    label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: {show: false}
  })));
  const data = [[]].concat(seriesLabels.map(() => []));
  const plot = new uPlot({width, height: 260, series, scales: {x: {time: false}},
    axes: [{label: xLabel}, {}]}, data, figure);
  return {
    /** Appends one x with a y per series (null for none) and redraws. */
    push(x, ys) {
      data[0].push(x);
      ys.forEach((y, i) => data[i + 1].push(y ?? null));
      plot.setData(data);
      figure.dataset.epochs = String(data[0].length);
      figure.dataset.last = JSON.stringify(ys.map(y => y ?? null));
    },
    /** Replaces everything: xs and one array per series. */
    set(xs, columns) {
      data.length = 1;
      data[0] = xs;
      columns.forEach(c => data.push(c));
      plot.setData(data);
      figure.dataset.epochs = String(xs.length);
    },
    count() {
      return data[0].length;
    }
  };
}
