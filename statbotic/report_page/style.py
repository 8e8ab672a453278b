"""The report's one stylesheet, inline in the page: for the screen, and for print on A4 and Letter alike."""

# @page: margins that fit both A4 (210 x 297 mm) and Letter (216 x 279 mm); the browser's paper size.
# Charts, table rows and the headline cards never split across pages; headings stay with what follows.
CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #555b63; --rule: #d0d4d9; --blue: #0072B2;
  --orange: #D55E00; --met: #0b5d1e; --missed: #8f1d00; --band: #f3f5f7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI",
  Roboto, Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
.meta, .note, figcaption, .small { color: var(--muted); font-size: .9rem; }
caption { text-align: left; caption-side: top; padding: .2rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.missing td { color: var(--muted); font-style: italic; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.met { color: var(--met); font-weight: 600; }
.missed { color: var(--missed); font-weight: 600; }
.mark { display: inline-block; min-width: 1.1em; }
.detail { display: block; }
td.wrap { white-space: normal; }
#headline th[scope=row] { min-width: 9rem; }
ul.notes { padding-left: 1.2rem; margin: .3rem 0; }
figure { margin: 1rem 0 1.5rem; }
figure svg { width: 100%; height: auto; display: block; }
dl.method dt { font-weight: 600; margin-top: .4rem; }
dl.method dd { margin: 0 0 0 1rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule);
  padding-top: .5rem; }
@page { margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.2rem; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, tr, .keep { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .met, .missed { color: #000; }
}
"""
