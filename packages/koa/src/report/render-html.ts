import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { MODELS_SCRIPT } from './page-models.js';
import { PARALLEL_SCRIPT } from './page-parallel.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { ReportData } from './types.js';

const require = createRequire(import.meta.url);

/** Sets body[data-ready] once every chart is drawn (tests and the benchmark wait for it). */
const READY_SCRIPT = "window.__logbookPage.chartsDrawn.then(function () { window.__logbookReport.readyMs = performance.now(); document.body.setAttribute('data-ready', 'true'); });";

/** What every page inlines: its scripts (in order), uPlot's stylesheet and the policy that allows them. */
interface PageAssets {
  readonly scripts: readonly string[];
  readonly style: string;
  readonly csp: string;
}

let pageAssets: Promise<PageAssets> | undefined;

/**
 * uPlot's minified script and stylesheet, read once from node_modules (inlined, never linked), and
 * the page's Content-Security-Policy: no request of any kind, and only these exact scripts run
 * (their SHA-256 hashes), so markup slipped into the page could not run a script of its own.
 */
function readPageAssets(): Promise<PageAssets> {
  pageAssets ??= Promise.all([readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')]).then(([uplot, style]) => {
    const scripts = [uplot, PAGE_SCRIPT, PARALLEL_SCRIPT, MODELS_SCRIPT, READY_SCRIPT].map(scriptSafe);
    const hashes = scripts.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    // Styles stay 'unsafe-inline': uPlot and the page set style attributes.
    return { scripts, style: scriptSafe(style), csp: `default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; img-src data:` };
  });
  // A failed read is not cached: the next page tries again.
  pageAssets.catch(() => {
    pageAssets = undefined;
  });
  return pageAssets;
}

/** The Content-Security-Policy of every report page (also in the page's own `<meta>`), for a server to send as a header. */
export async function reportContentSecurityPolicy(): Promise<string> {
  return (await readPageAssets()).csp;
}

/** Text safe inside `<script>`: no `</script>`, no `<!--` can end or change the element. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 16px 32px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 28px; } h3 { font-size: 15px; margin: 8px 0; }
.note { color: #8a5a00; background: #fff6e0; padding: 4px 8px; margin: 4px 0; }
#controls { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid #ddd; z-index: 10; }
#run-toggles { display: flex; flex-wrap: wrap; gap: 4px 12px; max-height: 96px; overflow: auto; margin-top: 6px; }
.run-toggle { padding-left: 4px; white-space: nowrap; }
.chart { margin: 12px 0 20px; }
.chart .u-legend { max-height: 120px; overflow: auto; display: block; }
table#compare { border-collapse: collapse; font-variant-numeric: tabular-nums; }
#compare th, #compare td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
#compare th { cursor: pointer; background: #f4f4f4; }
#compare th.differs { background: #ffe9a8; } #compare td.differs { background: #fff8dc; }
#compare td.best { font-weight: bold; color: #0a6b2a; }
#tree ul { list-style: none; padding-left: 18px; border-left: 1px dotted #aaa; }
.status { font-size: 11px; padding: 0 4px; border-radius: 3px; background: #eee; }
#parallel svg text { font: 12px system-ui, sans-serif; }
table.grid { border-collapse: collapse; margin: 4px 0 8px; } .grid th, .grid td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
.grid tr.in-report td { background: #eef6ff; } .lineage ul { list-style: none; padding-left: 18px; border-left: 1px dotted #aaa; }
.status.FINISHED { background: #d8f3dc; } .status.FAILED { background: #ffd6d6; } .status.RUNNING { background: #dbeafe; }
`;

/**
 * One self-contained HTML page (no external asset, works from disk with no network): metric charts
 * (uPlot), a comparison table, parallel coordinates, the nesting tree and the registered models
 * (versions, lineage, deployments, live curves) of `data`.
 */
export async function renderReportHtml(data: ReportData, title = 'Logbook report'): Promise<string> {
  const assets = await readPageAssets();
  const stored = data.charts.reduce((n, c) => n + c.series.reduce((m, s) => m + s.storedPoints, 0), 0);
  const shown = data.charts.reduce((n, c) => n + c.series.reduce((m, s) => m + s.values.length, 0), 0);
  const downsampled =
    data.downsampledSeries > 0
      ? `<p class="note" id="downsampled">Downsampled for display: ${data.downsampledSeries} series longer than ${data.pointsPerSeries} points are shown with largest-triangle-three-buckets (${shown.toLocaleString('en')} of ${stored.toLocaleString('en')} points); stored data is unchanged.</p>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${assets.csp}">
<title>${escapeHtml(title)}</title>
<style>${assets.style}${STYLE}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${data.runs.length} runs, ${data.charts.length} metrics. Generated ${escapeHtml(new Date(data.generatedAt).toISOString())}.</p>
${downsampled}
<div id="controls">
<label>x axis <select id="x-axis"><option value="step">step</option><option value="wall">wall time</option><option value="relative">relative time</option></select></label>
<label><input type="checkbox" id="log-scale"> log scale</label>
<span>— drag on a chart to zoom, double-click to reset; hover for values.</span>
<div id="run-toggles"></div>
</div>
<h2 id="metrics-title">Metrics</h2>
<div id="charts"></div>
<h2 id="compare-title">Comparison (params and latest metrics)</h2>
<p>Highlighted columns differ between runs; ★ marks the best value of a metric (lowest for loss/error-like names, else highest). Click a header to sort.</p>
<div id="compare-view"><table id="compare"></table></div>
<h2 id="parallel-title">Parallel coordinates (params → metric)</h2>
<p>One axis per param that differs between runs, then the latest value of <label><select id="pc-metric"></select></label>; one line per run.</p>
<div id="parallel"></div>
<h2 id="tree-title">Runs (parent and child)</h2>
<div id="tree"></div>
<h2 id="models-title">Registered models of these runs</h2>
<div id="models"></div>
<script type="application/json" id="logbook-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
${assets.scripts.map((text) => `<script>${text}</script>`).join('\n')}
</body></html>
`;
}
