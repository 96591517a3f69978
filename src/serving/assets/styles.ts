/** The one stylesheet, served from /assets (kept in a module so the build ships it with the code). */
export const STYLES = String.raw`
:root {
  --bg: #f6f7fb; --panel: #ffffff; --ink: #1d2433; --muted: #5d6677; --line: #e3e6ee;
  --accent: #4f6bed; --accent-ink: #ffffff; --accent-soft: #eef1ff; --warn: #fff6db; --warn-line: #f0d27a;
  --error: #fdecec; --error-line: #e9a3a3; --radius: 10px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-family: var(--font); color: var(--ink); background: var(--bg); line-height: 1.45; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus-visible { text-decoration: underline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; background: #eef0f5; padding: 0.05em 0.35em; border-radius: 4px; }
:focus-visible { outline: 3px solid #9db0ff; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.model-list { padding-left: 1.1rem; margin: 0 0 1rem; }
.model-list li { margin-bottom: 0.4rem; }
.skip-link { position: absolute; left: -999px; }
.skip-link:focus { left: 1rem; top: 0.5rem; background: var(--panel); padding: 0.4rem 0.8rem; z-index: 10; }

.site-header { display: flex; align-items: center; gap: 2rem; padding: 0.8rem 2rem; background: #1d2433; color: #fff; flex-wrap: wrap; }
.brand { color: #fff; font-weight: 700; font-size: 1.25rem; letter-spacing: 0.01em; }
.brand-mark { display: inline-grid; place-items: center; width: 1.8rem; height: 1.8rem; border-radius: 50%; background: var(--accent); margin-right: 0.3rem; }
.site-header nav { display: flex; gap: 1.2rem; flex-wrap: wrap; }
.site-header nav a { color: #c9d2e8; padding: 0.2rem 0; border-bottom: 2px solid transparent; }
.site-header nav a[aria-current="page"] { color: #fff; border-bottom-color: var(--accent); }
.demo-banner { margin: 0; padding: 0.55rem 2rem; background: var(--warn); border-bottom: 1px solid var(--warn-line); font-size: 0.92rem; }
main { flex: 1; width: 100%; max-width: 1320px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
@media (max-width: 600px) {
  main { padding: 1rem 1rem 2rem; }
  .site-header, .demo-banner, .site-footer { padding-left: 1rem; padding-right: 1rem; }
  .site-header { gap: 0.6rem 1.5rem; }
}
.site-footer { padding: 1rem 2rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); background: var(--panel); }

h1 { font-size: 1.7rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.7rem; }
.section-heading { margin: 2rem 0 0.8rem; font-size: 1.3rem; }
h3 { font-size: 1rem; margin: 0 0 0.5rem; }
.lead { color: var(--muted); margin: 0 0 1.4rem; max-width: 60rem; }
.muted { color: var(--muted); }
.small { font-size: 0.85rem; }

.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.1rem 1.2rem; box-shadow: 0 1px 2px rgba(20, 30, 60, 0.04); }
.grid { display: grid; gap: 1.1rem; }
.grid-2 { grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); }
.grid-models { grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); }
.spaced { margin-top: 1.1rem; }
.stack > * + * { margin-top: 1.1rem; }

.hero { display: grid; grid-template-columns: minmax(300px, 560px) 1fr; gap: 2rem; align-items: start; }
@media (max-width: 900px) { .hero { grid-template-columns: 1fr; } }
.picker label, .field label, .field legend { display: block; font-weight: 600; margin-bottom: 0.35rem; }
input[type="text"], input[type="search"], input[type="number"], select {
  font: inherit; padding: 0.55rem 0.7rem; border: 1px solid #c7cddb; border-radius: 8px; background: #fff; color: var(--ink); width: 100%;
}
input[type="number"] { width: 5.5rem; }
.picker-row { display: flex; gap: 0.6rem; }
.combo { position: relative; flex: 1; }
.listbox { position: absolute; left: 0; right: 0; top: 100%; margin: 0.25rem 0 0; padding: 0.25rem; list-style: none; background: #fff;
  border: 1px solid #c7cddb; border-radius: 8px; box-shadow: 0 8px 24px rgba(20, 30, 60, 0.14); max-height: 320px; overflow-y: auto; z-index: 5; }
.listbox[hidden] { display: none; }
.listbox li { padding: 0.45rem 0.6rem; border-radius: 6px; cursor: pointer; display: flex; justify-content: space-between; gap: 1rem; }
.listbox li[aria-selected="true"], .listbox li:hover { background: var(--accent-soft); }
.listbox .option-meta { color: var(--muted); font-size: 0.85rem; white-space: nowrap; }
.hint { color: var(--muted); font-size: 0.85rem; margin-top: 0.35rem; }

button, .button { font: inherit; font-weight: 600; border: 0; border-radius: 8px; padding: 0.55rem 1rem; background: var(--accent); color: var(--accent-ink); cursor: pointer; white-space: nowrap; display: inline-block; }
button:hover, .button:hover { background: #3d57d4; text-decoration: none; }
button.secondary, .button.secondary { background: #e8ebf3; color: var(--ink); }
button.secondary:hover, .button.secondary:hover { background: #dde1ec; }

.controls { display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: end; margin-bottom: 1.2rem; }
.controls .check { display: flex; gap: 0.4rem; align-items: center; padding-bottom: 0.55rem; }
.chips { display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0; margin: 0.3rem 0 0; list-style: none; }
.chips li { background: var(--accent-soft); border-radius: 999px; padding: 0.15rem 0.7rem; font-size: 0.9rem; }
.chips a { color: var(--ink); }

.model-column h2 { margin-bottom: 0.2rem; }
.model-column > p { margin-top: 0; }
.upload-summary { margin-bottom: 1.1rem; }
.upload-summary p { margin-bottom: 0; }
.rec-list { list-style: none; margin: 0; padding: 0; counter-reset: rec; }
.rec-list li { counter-increment: rec; padding: 0.55rem 0 0.55rem 2rem; border-top: 1px solid var(--line); position: relative; }
.rec-list li:first-child { border-top: 0; }
.rec-list li::before { content: counter(rec); position: absolute; left: 0; top: 0.6rem; width: 1.5rem; text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; font-size: 0.9rem; }
.rec-title { font-weight: 650; color: var(--ink); }
.rec-title .track { font-weight: 500; color: var(--accent); }
.rec-title:hover .track { text-decoration: underline; }
.rec-album { color: var(--muted); font-size: 0.88rem; }
.rec-reason { color: var(--muted); font-size: 0.85rem; margin-top: 0.15rem; }
.rec-reason a { color: var(--muted); text-decoration: underline dotted; }
.rec-actions { font-size: 0.8rem; }
form.rec-actions { margin-top: 0.2rem; display: flex; gap: 0.8rem; }
form.rec-actions.inline { display: inline-flex; margin-left: 0.5rem; }
button.link { background: none; border: 0; padding: 0; font-weight: 500; font-size: 0.8rem; color: var(--muted); text-decoration: underline dotted; cursor: pointer; }
button.link:hover { background: none; color: var(--ink); }
.dial-row { display: flex; gap: 0.4rem; align-items: center; }
.bans { margin-bottom: 1.2rem; }
.ban-list { margin: 0.5rem 0 0; padding-left: 1.2rem; }
.empty { color: var(--muted); font-style: italic; }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 0.8rem; margin-bottom: 1.2rem; }
.stat { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.8rem 1rem; }
.stat .value { font-size: 1.45rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.stat.wide { grid-column: span 2; }
.stat .label { color: var(--muted); font-size: 0.85rem; }

.chart { display: block; max-width: 100%; height: auto; }
.chart-bar { fill: var(--accent); }
.chart-bar:hover { fill: #2f47b8; }
.chart-label, .chart-value, .chart-tick { font-family: var(--font); font-size: 12px; fill: var(--ink); }
.chart-value, .chart-tick { fill: var(--muted); }
.chart-label a { fill: var(--accent); }

.notice { border-radius: var(--radius); padding: 0.8rem 1rem; margin-bottom: 1.2rem; border: 1px solid var(--line); background: var(--panel); }
.notice.error { background: var(--error); border-color: var(--error-line); }
.notice.warn { background: var(--warn); border-color: var(--warn-line); }
.radio-form { display: grid; gap: 0.9rem; max-width: 720px; margin-bottom: 1.2rem; }
.radio-form .field { margin: 0; }
.radio-form .controls { margin-bottom: 0; }
.radio-form .controls select { width: auto; }
.radio-result { max-width: 720px; }
.radio-result .playlist-downloads { margin: 0.4rem 0 0.8rem; }
.upload-layout { display: grid; grid-template-columns: minmax(320px, 640px) minmax(260px, 1fr); gap: 1.1rem; align-items: start; }
@media (max-width: 900px) { .upload-layout { grid-template-columns: 1fr; } }
.upload-form { display: grid; gap: 1rem; max-width: 640px; }
.upload-form input[type="file"] { font: inherit; }
table.data { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
table.data th, table.data td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
`;
