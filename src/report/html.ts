/**
 * report.html: one self-contained page. Vega's runtime and the compiled Vega specs are inlined,
 * a Content-Security-Policy forbids every fetch (so a chart that needs the network fails loudly
 * instead of silently), and each chart reports its state in `data-state` for the browser test.
 */
import type { CompiledChart } from './compile.js';
import { reportSections } from './sections.js';
import { summaryTable } from './summary-table.js';
import { reportTitle } from './titles.js';
import type { ReportData } from './types.js';

export interface HtmlOptions {
  /** Inlined Vega runtime (vega.min.js). */
  readonly vegaJs: string;
  /** Chart files beside the page, for the per-chart download links. */
  readonly files: readonly { readonly id: string; readonly svg?: string; readonly png?: string }[];
}

const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

export function reportHtml(data: ReportData, charts: readonly CompiledChart[], options: HtmlOptions): string {
  const title = reportTitle(data);
  const specs = charts.map((c) => ({ id: c.chart.id, spec: c.vega }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
${data.description ? `<p class="description">${esc(data.description)}</p>` : ''}
<dl class="facts">${data.facts.map((f) => `<div><dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd></div>`).join('')}</dl>
</header>
<nav><strong>Charts:</strong> ${charts.map((c) => `<a href="#chart-${c.chart.id}">${esc(c.chart.title)}</a>`).join(' · ')}</nav>
<section id="summary">
<h2>Summary</h2>
${tableHtml(data)}
</section>
${reportSections(data, charts)
  .map(
    (s) => `<section id="${s.id}" class="charts">
<h2>${esc(s.title)}</h2>
${s.sentence ? `<p class="finding">${esc(s.sentence)}</p>\n` : ''}${s.charts.map((c) => figureHtml(c, options.files.find((f) => f.id === c.chart.id))).join('\n')}
</section>`,
  )
  .join('\n')}
<section id="scenario">
<h2>Scenario</h2>
${
  data.scenarioYaml
    ? `<details><summary>Resolved scenario (YAML, every default filled in)</summary><pre>${esc(data.scenarioYaml)}</pre></details>`
    : data.kind === 'runs'
      ? '<p>The runs differ in their scenarios: each run folder holds its own.</p>'
      : '<p>No scenario file in this folder.</p>'
}
</section>
<footer>Written by <code>recloop report</code> from <code>${esc(data.dir)}</code>.</footer>
<script>${options.vegaJs.replace(/<\/script/gi, '<\\/script')}</script>
<script type="application/json" id="recloop-specs">${jsonForScript(specs)}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}

function tableHtml(data: ReportData): string {
  const table = summaryTable(data);
  const head = `<tr>${table.header.map((h, i) => `<th${i === 0 ? '' : ' class="num"'}>${esc(h)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map(
      (row) =>
        `<tr><th scope="row" title="${esc(row.metric)}">${esc(row.label)}</th>${row.cells
          .map((c) => `<td class="num${c.breach ? ' breach' : ''}">${(c.parts ?? [c.text]).map((p) => `<span>${esc(p)}</span>`).join(' ')}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table class="summary"><thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>
<ul class="notes">${table.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
}

function figureHtml(c: CompiledChart, files: HtmlOptions['files'][number] | undefined): string {
  const links = [files?.png ? `<a href="${esc(files.png)}">PNG</a>` : '', files?.svg ? `<a href="${esc(files.svg)}">SVG</a>` : ''].filter(Boolean).join(' · ');
  return `<figure class="chart" id="chart-${c.chart.id}">
<figcaption><strong>What to look for:</strong> ${esc(c.chart.caption)}</figcaption>
<div class="view" data-chart="${c.chart.id}" data-state="pending"></div>
${links ? `<p class="files">${links}</p>` : ''}
</figure>`;
}

/** JSON inside a <script> element: no "<" may survive, or "</script>" in a string would end it. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders every chart with Vega's SVG renderer; body[data-charts] turns "done" when all settled. */
const BOOT = `
(function () {
  var specs = JSON.parse(document.getElementById('recloop-specs').textContent);
  Promise.all(specs.map(function (entry) {
    var el = document.querySelector('[data-chart="' + entry.id + '"]');
    try {
      var view = new vega.View(vega.parse(entry.spec), { renderer: 'svg', container: el, hover: true });
      return view.runAsync().then(function () { el.setAttribute('data-state', 'rendered'); }, function (error) { fail(el, error); });
    } catch (error) { fail(el, error); return Promise.resolve(); }
  })).then(function () { document.body.setAttribute('data-charts', 'done'); });
  function fail(el, error) {
    el.setAttribute('data-state', 'failed');
    el.textContent = 'This chart failed to render: ' + (error && error.message ? error.message : String(error));
    console.error(error);
  }
})();
`;

const STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; padding: 24px 32px 64px; max-width: 1280px; line-height: 1.45; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 12px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 2px; }
.description { max-width: 900px; color: #444; margin: 4px 0 12px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 24px; margin: 8px 0 0; }
.facts div { display: flex; gap: 6px; } .facts dt { color: #666; } .facts dd { margin: 0; font-weight: bold; }
nav { margin: 18px 0 0; font-size: 14px; } nav a { color: #0060a0; }
.table-wrap { overflow-x: auto; }
table.summary { border-collapse: collapse; font-size: 14px; }
table.summary th, table.summary td { padding: 5px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; }
/* A cell wraps only between its parts (value, interval, verdict), never inside a number. */
table.summary td span, table.summary thead th { white-space: nowrap; }
table.summary tbody th { min-width: 12em; }
table.summary thead th { border-bottom: 2px solid #bbb; }
table.summary .num { text-align: right; font-variant-numeric: tabular-nums; }
td.breach { background: #fde8e8; font-weight: bold; }
.finding { font-size: 17px; max-width: 1000px; margin: 0 0 18px; padding: 8px 12px; border-left: 4px solid #0060a0; background: #f2f7fb; }
.notes { font-size: 13px; color: #555; padding-left: 20px; }
figure.chart { margin: 0 0 40px; }
figcaption { margin: 0 0 8px; color: #444; max-width: 1000px; }
.view { overflow-x: auto; min-height: 60px; }
.files { font-size: 12px; margin: 4px 0 0; } .files a { color: #0060a0; }
pre { background: #f6f6f6; padding: 12px; overflow-x: auto; font-size: 12px; }
footer { margin-top: 48px; font-size: 12px; color: #777; }
`;
