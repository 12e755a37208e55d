/**
 * The report page's own script (runs in the browser, after uPlot's). Plain ES2017 kept as a string
 * so the file needs no bundler; it reads the JSON island `#logbook-data` and builds the run views.
 * It sets `window.__logbookReport` (chart counts) and `data-*` attributes that tests read, and
 * `window.__logbookPage`, what the scripts of the other views use.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('logbook-data').textContent);
  var runs = data.runs;
  var runIndex = {};
  runs.forEach(function (r, i) { runIndex[r.runId] = i; });
  var palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
  function color(i) { return palette[i % palette.length]; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function label(r) { return r.runName + ' (' + r.runId.slice(0, 8) + ')'; }
  var state = { xMode: 'step', log: false, hidden: {} };
  var summary = { charts: {}, runs: runs.length, downsampledSeries: data.downsampledSeries };
  window.__logbookReport = summary;
  var lowerIsBetter = /loss|err|mae|mse|rmse|perplexity|wer|cer|time|latency/i;
  // What the other views of the page (parallel coordinates, models) share with this one.
  var page = window.__logbookPage = {
    data: data, el: el, color: color, label: label, runIndex: runIndex, summary: summary,
    hidden: state.hidden, lowerIsBetter: lowerIsBetter, onVisibility: [],
  };

  // ---- metric charts ----
  var chartsRoot = document.getElementById('charts');
  var plots = [];
  function xOf(s, i) {
    if (state.xMode === 'wall') return s.timestamps[i] / 1000;
    if (state.xMode === 'relative') return (s.timestamps[i] - runs[runIndex[s.runId]].startTime) / 1000;
    return s.steps[i];
  }
  function tables(chart) {
    return chart.series.map(function (s) {
      var xs = [], ys = [];
      var pairs = s.values.map(function (v, i) { return [xOf(s, i), v]; });
      pairs.sort(function (a, b) { return a[0] - b[0]; });
      pairs.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); });
      return [xs, ys];
    });
  }
  function options(chart, width) {
    var xLabel = state.xMode === 'step' ? 'step' : state.xMode === 'wall' ? 'wall time' : 'seconds since run start';
    var series = [{ label: xLabel }].concat(chart.series.map(function (s) {
      var i = runIndex[s.runId];
      return { label: label(runs[i]), stroke: color(i), width: 1.5, spanGaps: true, show: !state.hidden[s.runId] };
    }));
    return {
      width: width, height: 300, series: series,
      scales: { x: { time: state.xMode === 'wall' }, y: { distr: state.log ? 3 : 1 } },
      axes: [{ label: xLabel }, {}],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
    };
  }
  var generation = 0;
  function drawChart(chart) {
    var box = el('section', { 'class': 'chart', 'data-metric': chart.key });
    var title = el('h3', null, chart.key);
    box.appendChild(title);
    var stored = 0, shown = 0;
    chart.series.forEach(function (s) { stored += s.storedPoints; shown += s.values.length; });
    if (shown < stored) box.appendChild(el('p', { 'class': 'note' }, 'Downsampled for display: ' + shown + ' of ' + stored + ' points shown (LTTB); stored data unchanged.'));
    chartsRoot.appendChild(box);
    var width = Math.max(400, Math.min(1100, chartsRoot.clientWidth - 20));
    var plot = new uPlot(options(chart, width), uPlot.join(tables(chart)), box);
    // Milliseconds since navigation started until the first chart was built (measured by bench).
    if (summary.firstChartMs === undefined) summary.firstChartMs = performance.now();
    var p = { plot: plot, chart: chart, box: box, destroy: function () { plot.destroy(); } };
    plots.push(p);
    box.setAttribute('data-series', String(chart.series.length));
    box.setAttribute('data-points', String(shown));
    box.setAttribute('data-stored-points', String(stored));
    summary.charts[chart.key] = { series: chart.series.length, points: shown, storedPoints: stored, perSeries: chart.series.map(function (s) { return s.values.length; }) };
    markVisible(p);
  }
  /**
   * Draws every chart, one per task, so the browser paints the first ones (and the other views)
   * while the rest are built: with 100 runs a chart takes most of a second. A newer call (another
   * x axis, the log scale) abandons an older one. Resolves when done; #charts[data-drawn] says so.
   */
  function drawCharts() {
    var mine = ++generation;
    plots.forEach(function (p) { p.destroy(); });
    plots = [];
    chartsRoot.textContent = '';
    chartsRoot.setAttribute('data-drawn', 'false');
    return new Promise(function (done) {
      var next = 0;
      function step() {
        if (mine !== generation) return done(false);
        if (next < data.charts.length) drawChart(data.charts[next++]);
        if (next < data.charts.length) return setTimeout(step, 0);
        chartsRoot.setAttribute('data-drawn', 'true');
        done(true);
      }
      step();
    });
  }
  function markVisible(p) {
    var visible = 0;
    p.chart.series.forEach(function (s, i) {
      var show = !state.hidden[s.runId];
      if (p.plot.series[i + 1].show !== show) p.plot.setSeries(i + 1, { show: show });
      if (p.plot.series[i + 1].show) visible++;
    });
    p.box.setAttribute('data-visible-series', String(visible));
    summary.charts[p.chart.key].visible = visible;
  }
  function updateVisible() {
    plots.forEach(markVisible);
    page.onVisibility.forEach(function (f) { f(); });
  }

  // ---- controls ----
  var xSelect = document.getElementById('x-axis');
  xSelect.addEventListener('change', function () { state.xMode = xSelect.value; drawCharts(); });
  var logBox = document.getElementById('log-scale');
  logBox.addEventListener('change', function () { state.log = logBox.checked; drawCharts(); });
  var runList = document.getElementById('run-toggles');
  runs.forEach(function (r, i) {
    var item = el('label', { 'class': 'run-toggle', 'style': 'border-left: 4px solid ' + color(i) });
    var box = el('input', { type: 'checkbox', 'data-run-id': r.runId });
    box.checked = true;
    box.addEventListener('change', function () {
      if (box.checked) delete state.hidden[r.runId]; else state.hidden[r.runId] = true;
      updateVisible();
    });
    item.appendChild(box);
    item.appendChild(document.createTextNode(' ' + label(r)));
    runList.appendChild(item);
  });

  // ---- comparison table ----
  function columns() {
    var params = {}, metrics = {};
    runs.forEach(function (r) {
      Object.keys(r.params).forEach(function (k) { params[k] = true; });
      Object.keys(r.latest).forEach(function (k) { metrics[k] = true; });
    });
    return Object.keys(params).sort().map(function (k) { return { kind: 'param', key: k }; })
      .concat(Object.keys(metrics).sort().map(function (k) { return { kind: 'metric', key: k }; }));
  }
  function cell(r, c) { return c.kind === 'param' ? r.params[c.key] : r.latest[c.key]; }
  var cols = columns();
  var best = {};
  cols.forEach(function (c) {
    var values = runs.map(function (r) { return cell(r, c); });
    var present = values.filter(function (v) { return v !== undefined && v !== null; });
    c.differs = present.length !== runs.length || present.some(function (v) { return String(v) !== String(present[0]); });
    if (c.kind === 'metric' && present.length > 1 && c.differs) {
      var lower = lowerIsBetter.test(c.key);
      var finite = present.filter(function (v) { return typeof v === 'number' && isFinite(v); });
      if (finite.length > 0) best[c.key] = lower ? Math.min.apply(null, finite) : Math.max.apply(null, finite);
      c.lowerIsBetter = lower;
    }
  });
  var table = document.getElementById('compare');
  var sortCol = -1, sortDir = 1;
  function drawTable() {
    table.textContent = '';
    var head = el('thead'), row = el('tr');
    row.appendChild(el('th', null, 'run'));
    cols.forEach(function (c, ci) {
      var th = el('th', { 'class': c.kind + (c.differs ? ' differs' : ''), 'data-key': c.kind + 's.' + c.key, title: 'click to sort' },
        (c.kind === 'param' ? 'params.' : 'metrics.') + c.key + (ci === sortCol ? (sortDir > 0 ? ' ▲' : ' ▼') : ''));
      th.addEventListener('click', function () { sortDir = sortCol === ci ? -sortDir : 1; sortCol = ci; drawTable(); });
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var body = el('tbody');
    var order = runs.slice();
    if (sortCol >= 0) {
      var c = cols[sortCol];
      order.sort(function (a, b) {
        var x = cell(a, c), y = cell(b, c);
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        var nx = Number(x), ny = Number(y);
        var cmp = isNaN(nx) || isNaN(ny) ? String(x).localeCompare(String(y)) : nx - ny;
        return cmp * sortDir;
      });
    }
    order.forEach(function (r) {
      var tr = el('tr', { 'data-run-id': r.runId });
      tr.appendChild(el('td', null, label(r)));
      cols.forEach(function (c) {
        var v = cell(r, c);
        var isBest = c.kind === 'metric' && best[c.key] !== undefined && v === best[c.key];
        var td = el('td', { 'class': (c.differs ? 'differs' : '') + (isBest ? ' best' : ''), 'data-key': c.kind + 's.' + c.key },
          v === undefined ? '' : String(v) + (isBest ? ' ★' : ''));
        if (isBest) td.title = c.lowerIsBetter ? 'lowest (best)' : 'highest (best)';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
  }
  drawTable();

  // ---- nesting tree ----
  var children = {};
  var roots = [];
  runs.forEach(function (r) {
    if (r.parentRunId !== undefined && runIndex[r.parentRunId] !== undefined) {
      (children[r.parentRunId] = children[r.parentRunId] || []).push(r);
    } else roots.push(r);
  });
  function branch(list) {
    var ul = el('ul');
    list.forEach(function (r) {
      var li = el('li', { 'data-run-id': r.runId });
      li.appendChild(el('span', { 'class': 'status ' + r.status }, r.status));
      li.appendChild(document.createTextNode(' ' + label(r) + ' — ' + r.experimentName +
        (r.parentRunId !== undefined && runIndex[r.parentRunId] === undefined ? ' (parent ' + r.parentRunId.slice(0, 8) + ' not in this report)' : '')));
      if (children[r.runId]) li.appendChild(branch(children[r.runId]));
      ul.appendChild(li);
    });
    return ul;
  }
  document.getElementById('tree').appendChild(branch(roots));

  // The last script of the page waits for this before it sets body[data-ready].
  page.chartsDrawn = drawCharts();
})();
`;
