/**
 * The registered-model view (runs in the browser after the main page script): per model, its
 * versions (semver, stage, aliases, source run), the lineage tree (`logbook.parentVersion`), the
 * deployment events, and one uPlot chart per live metric with a series per deployment event
 * (x = the live step). Sets `data-*` attributes on `.model`, `.lineage li` and `.live-chart`.
 */
export const MODELS_SCRIPT = String.raw`
(function () {
  'use strict';
  var page = window.__logbookPage;
  var el = page.el, models = page.data.models || [];
  var root = document.getElementById('models');
  page.summary.models = {};
  if (page.data.modelsUnavailable) {
    root.appendChild(el('p', { id: 'models-unavailable' }, 'Registered models could not be read: ' + page.data.modelsUnavailable));
    return;
  }
  if (models.length === 0) {
    root.appendChild(el('p', { id: 'models-empty' }, 'No registered model has a version from these runs.'));
    return;
  }
  function time(ms) { return new Date(ms).toISOString().replace('T', ' ').slice(0, 19); }
  function runText(runId) {
    var i = page.runIndex[runId];
    return i === undefined ? runId.slice(0, 8) + ' (not in this report)' : page.label(page.data.runs[i]);
  }
  function table(id, headers, rows) {
    var t = el('table', { 'class': 'grid', id: id });
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    var head = el('thead'); head.appendChild(tr); t.appendChild(head);
    var body = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr', r.attrs);
      r.cells.forEach(function (c) { row.appendChild(el('td', null, c)); });
      body.appendChild(row);
    });
    t.appendChild(body);
    return t;
  }
  models.forEach(function (m, mi) {
    var box = el('section', { 'class': 'model', 'data-model': m.name, 'data-versions': String(m.versions.length), 'data-deployments': String(m.deployments.length) });
    box.appendChild(el('h3', null, m.name));
    box.appendChild(table('versions-' + mi, ['version', 'semver', 'stage', 'aliases', 'parent', 'source run', 'registered'],
      m.versions.map(function (v) {
        return { attrs: { 'data-version': v.version, 'data-stage': v.stage, 'class': v.inReport ? 'in-report' : '' },
          cells: [v.version, v.semver || '', v.stage, v.aliases.join(', '), v.parentVersion || '', v.runId ? runText(v.runId) : '', time(v.createdAt)] };
      })));
    // Lineage: each version under the version it derives from.
    var byParent = {}, known = {};
    m.versions.forEach(function (v) { known[v.version] = true; });
    m.versions.forEach(function (v) {
      var p = v.parentVersion !== undefined && known[v.parentVersion] ? v.parentVersion : '';
      (byParent[p] = byParent[p] || []).push(v);
    });
    function branch(list) {
      var ul = el('ul');
      list.forEach(function (v) {
        var li = el('li', { 'data-version': v.version });
        li.appendChild(document.createTextNode('v' + v.version + (v.semver ? ' (' + v.semver + ')' : '') + ' — ' + v.stage +
          (v.aliases.length ? ' @' + v.aliases.join(' @') : '')));
        if (byParent[v.version]) li.appendChild(branch(byParent[v.version]));
        ul.appendChild(li);
      });
      return ul;
    }
    var lineage = el('div', { 'class': 'lineage' });
    lineage.appendChild(el('h4', null, 'Lineage'));
    lineage.appendChild(branch(byParent[''] || []));
    box.appendChild(lineage);
    var summary = page.summary.models[m.name] = { versions: m.versions.length, deployments: m.deployments.length, live: {} };
    if (m.deployments.length > 0) {
      box.appendChild(el('h4', null, 'Deployments'));
      box.appendChild(table('deployments-' + mi, ['time', 'environment', 'version', 'semver', 'status', 'kind', 'by', 'live metrics'],
        m.deployments.map(function (d) {
          return { attrs: { 'data-run-id': d.runId, 'data-status': d.status },
            cells: [time(d.at), d.environment, d.version, d.semver || '', d.status, d.kind, d.by, Object.keys(d.live).join(', ')] };
        })));
    }
    var liveKeys = {};
    m.deployments.forEach(function (d) { Object.keys(d.live).forEach(function (k) { liveKeys[k] = true; }); });
    Object.keys(liveKeys).sort().forEach(function (key, ki) {
      var deps = m.deployments.filter(function (d) { return d.live[key] !== undefined; });
      var chart = el('div', { 'class': 'live-chart', 'data-model': m.name, 'data-metric': key });
      chart.appendChild(el('h4', null, 'Live ' + key));
      box.appendChild(chart);
      var points = 0, stored = 0;
      var tables = deps.map(function (d) {
        points += d.live[key].values.length;
        stored += d.live[key].storedPoints;
        return [d.live[key].steps.slice(), d.live[key].values.slice()];
      });
      if (points < stored) chart.appendChild(el('p', { 'class': 'note' }, 'Downsampled for display: ' + points + ' of ' + stored + ' points shown (LTTB); stored data unchanged.'));
      var series = [{ label: 'live step' }].concat(deps.map(function (d, di) {
        return { label: 'v' + d.version + (d.semver ? ' (' + d.semver + ')' : '') + ' ' + d.environment, stroke: page.color(di + ki), width: 1.5, spanGaps: true };
      }));
      new uPlot({ width: Math.max(400, Math.min(1100, root.clientWidth - 20)), height: 220, series: series, scales: { x: { time: false } },
        axes: [{ label: 'live step' }, {}], legend: { live: true } }, uPlot.join(tables), chart);
      chart.setAttribute('data-series', String(deps.length));
      chart.setAttribute('data-points', String(points));
      summary.live[key] = { series: deps.length, points: points };
    });
    root.appendChild(box);
  });
})();
`;
