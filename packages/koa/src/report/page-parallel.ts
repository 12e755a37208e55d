/**
 * Parallel coordinates of a sweep (runs in the browser after the main page script): one vertical
 * axis per param that differs between the runs drawn (all params when none differ), then the metric chosen in
 * `#pc-metric` (its latest value); one line per run that has that metric, in the run's colour,
 * hidden with the run. Drawn as SVG: uPlot has no parallel-coordinates plot. Numeric axes are
 * linear from min to max; other params are categories in sorted order. A run without a param
 * leaves a gap on that axis. Brushing: drag along an axis to keep the runs whose value lies in the
 * dragged range (the others fade, class `pc-out`); brushes on several axes combine; a click
 * without a drag clears that axis's brush. Sets `data-axes`, `data-lines` and `data-selected` (lines
 * drawn inside every brush) on `#parallel svg` for tests.
 */
export const PARALLEL_SCRIPT = String.raw`
(function () {
  'use strict';
  var page = window.__logbookPage;
  var runs = page.data.runs, el = page.el;
  var root = document.getElementById('parallel');
  var select = document.getElementById('pc-metric');
  var NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var metricKeys = {};
  runs.forEach(function (r) { Object.keys(r.latest).forEach(function (k) { metricKeys[k] = true; }); });
  var keys = Object.keys(metricKeys).sort();
  var withParams = runs.filter(function (r) { return Object.keys(r.params).length > 0; });
  if (keys.length === 0 || withParams.length < 2) {
    root.appendChild(el('p', { 'class': 'note', id: 'parallel-empty' }, 'Parallel coordinates need at least two runs with params and a metric.'));
    select.disabled = true;
    return;
  }
  keys.forEach(function (k) { select.appendChild(el('option', { value: k }, k)); });
  var preferred = keys.filter(function (k) { return page.lowerIsBetter.test(k); })[0];
  select.value = preferred !== undefined ? preferred : keys[0];

  // Params that differ between the lines drawn (all their params when none differ).
  function paramKeysOf(lines) {
    var all = {};
    lines.forEach(function (r) { Object.keys(r.params).forEach(function (k) { all[k] = true; }); });
    var keys = Object.keys(all).sort();
    var differing = keys.filter(function (k) {
      return lines.some(function (r) { return r.params[k] !== lines[0].params[k]; });
    });
    return differing.length > 0 ? differing : keys;
  }

  function axisOf(label, values, kind) {
    var present = values.filter(function (v) { return v !== undefined && v !== null && v !== ''; });
    var numeric = present.length > 0 && present.every(function (v) { return isFinite(Number(v)); });
    if (numeric) {
      var nums = present.map(Number);
      var min = Math.min.apply(null, nums), max = Math.max.apply(null, nums);
      return { label: label, kind: kind, numeric: true, min: min, max: max,
        pos: function (v) { return max === min ? 0.5 : (Number(v) - min) / (max - min); },
        ticks: max === min ? [min] : [min, (min + max) / 2, max] };
    }
    var cats = present.map(String).filter(function (v, i, a) { return a.indexOf(v) === i; }).sort();
    return { label: label, kind: kind, numeric: false, cats: cats,
      pos: function (v) { return cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1); },
      ticks: cats };
  }
  function fmt(v) { return typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v); }
  // Brushed ranges by axis key, in axis position (0 bottom, 1 top); kept across redraws.
  var brushes = {};
  function keyOf(a) { return a.kind + 's.' + a.label; }
  function inBrushes(axes, valueOf) {
    return axes.every(function (a) {
      var b = brushes[keyOf(a)];
      if (b === undefined) return true;
      var v = valueOf(a);
      if (v === undefined || v === null || v === '') return false;
      var p = a.pos(v);
      return p >= b[0] - 1e-9 && p <= b[1] + 1e-9;
    });
  }
  function brushable(box, area, key, scaleY, top, plotH) {
    area.addEventListener('mousedown', function (down) {
      down.preventDefault();
      var start = scaleY(down.clientY);
      var band = svg('rect', { x: area.getAttribute('x'), width: area.getAttribute('width'), y: start, height: 0, fill: 'rgba(0,0,0,0.15)', 'class': 'pc-brush' });
      box.appendChild(band);
      function move(ev) {
        var y = scaleY(ev.clientY);
        band.setAttribute('y', String(Math.min(start, y)));
        band.setAttribute('height', String(Math.abs(y - start)));
      }
      function up(ev) {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
        var y = scaleY(ev.clientY);
        var at = function (py) { return Math.max(0, Math.min(1, 1 - (py - top) / plotH)); };
        if (Math.abs(y - start) < 3) delete brushes[key];
        else brushes[key] = [Math.min(at(start), at(y)), Math.max(at(start), at(y))];
        draw();
      }
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    });
  }

  function draw() {
    root.textContent = '';
    var metric = select.value;
    var lines = withParams.filter(function (r) { return typeof r.latest[metric] === 'number' && isFinite(r.latest[metric]); });
    var paramKeys = paramKeysOf(lines);
    var axes = paramKeys.map(function (k) {
      return axisOf(k, lines.map(function (r) { return r.params[k]; }), 'param');
    }).concat([axisOf(metric, lines.map(function (r) { return r.latest[metric]; }), 'metric')]);
    var width = Math.max(480, Math.min(1100, root.clientWidth - 20)), height = 320, top = 30, bottom = 40, left = 60, right = 60;
    var plotH = height - top - bottom;
    var gap = axes.length > 1 ? (width - left - right) / (axes.length - 1) : 0;
    var box = svg('svg', { width: String(width), height: String(height), viewBox: '0 0 ' + width + ' ' + height,
      'data-axes': String(axes.length), 'data-lines': '0', 'data-metric': metric, role: 'img' });
    box.appendChild(svg('title', {}, 'Parallel coordinates: ' + paramKeys.join(', ') + ' → ' + metric));
    var scaleY = function (clientY) {
      var rect = box.getBoundingClientRect();
      return (clientY - rect.top) * (height / (rect.height || height));
    };
    axes.forEach(function (a, i) {
      var x = left + i * gap;
      var g = svg('g', { 'class': 'pc-axis ' + a.kind, 'data-key': keyOf(a) });
      g.appendChild(svg('line', { x1: x, x2: x, y1: top, y2: top + plotH, stroke: '#444' }));
      g.appendChild(svg('text', { x: x, y: top - 10, 'text-anchor': 'middle', 'font-weight': a.kind === 'metric' ? 'bold' : 'normal' }, a.label));
      a.ticks.forEach(function (t) {
        var y = top + plotH * (1 - a.pos(t));
        g.appendChild(svg('text', { x: x - 6, y: y + 4, 'text-anchor': 'end', 'font-size': '11', fill: '#555' }, fmt(t)));
      });
      var b = brushes[keyOf(a)];
      if (b !== undefined) {
        g.appendChild(svg('rect', { x: x - 8, width: 16, y: top + plotH * (1 - b[1]), height: Math.max(1, plotH * (b[1] - b[0])),
          fill: 'rgba(0,0,0,0.15)', stroke: '#333', 'class': 'pc-brush' }));
      }
      var area = svg('rect', { x: x - 10, width: 20, y: top, height: plotH, fill: 'transparent', 'class': 'pc-brush-area', 'data-key': keyOf(a), style: 'cursor: crosshair' });
      brushable(box, area, keyOf(a), scaleY, top, plotH);
      g.appendChild(area);
      box.appendChild(g);
    });
    var drawn = 0, selected = 0;
    lines.forEach(function (r) {
      var inside = inBrushes(axes, function (a) { return a.kind === 'metric' ? r.latest[a.label] : r.params[a.label]; });
      var d = '', pen = 'M';
      axes.forEach(function (a, i) {
        var v = a.kind === 'metric' ? r.latest[a.label] : r.params[a.label];
        if (v === undefined || v === null || v === '') { pen = 'M'; return; }
        d += pen + (left + i * gap).toFixed(1) + ' ' + (top + plotH * (1 - a.pos(v))).toFixed(1) + ' ';
        pen = 'L';
      });
      var i = page.runIndex[r.runId];
      var hidden = page.hidden[r.runId] === true;
      var path = svg('path', { d: d.trim(), fill: 'none', stroke: page.color(i), 'stroke-width': '2', 'stroke-opacity': inside ? '0.8' : '0.08',
        'class': inside ? 'pc-line' : 'pc-line pc-out', 'data-run-id': r.runId, display: hidden ? 'none' : 'inline' });
      path.appendChild(svg('title', {}, page.label(r) + ': ' + axes.map(function (a) {
        var v = a.kind === 'metric' ? r.latest[a.label] : r.params[a.label];
        return a.label + '=' + (v === undefined ? '—' : fmt(v));
      }).join(', ')));
      // Lines stay under the axes' brush areas, so a drag that starts on a line still brushes.
      box.insertBefore(path, box.querySelector('g.pc-axis'));
      if (!hidden) drawn++;
      if (!hidden && inside) selected++;
    });
    box.setAttribute('data-lines', String(drawn));
    box.setAttribute('data-selected', String(selected));
    root.appendChild(box);
    page.summary.parallel = { metric: metric, axes: axes.map(function (a) { return a.label; }), lines: drawn, selected: selected };
  }
  select.addEventListener('change', draw);
  page.onVisibility.push(draw);
  draw();
})();
`;
