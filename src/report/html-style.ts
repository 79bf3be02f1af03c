/**
 * The report page's stylesheet, inlined so the page is one file. System fonts, colours that pass
 * WCAG AA on their background in both schemes (light, and dark through prefers-color-scheme),
 * status shown as text in a badge (never colour alone), a visible outline on whatever has keyboard
 * focus, and a print layout.
 *
 * Narrow screens (down to 360 px): the page never scrolls sideways. The contacts' and orphans'
 * tables turn into one block per row, each cell on its own line under a small label (the column's
 * header, which the table no longer shows), and long text wraps between words; only a word longer
 * than the line (a URL, an id) is broken. `overflow-wrap: anywhere` is not used on table cells: it
 * lets a table shrink a column to one letter, which is how error text ended up one letter per line.
 */
export const STYLE = `
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --muted: #5b5b66; --line: #d8d8de; --bg-soft: #f5f5f8;
  --ok: #0b6b2f; --ok-bg: #e3f4e8; --info: #0b4f8a; --info-bg: #e4eefa; --warn: #7a4a00; --warn-bg: #fff2d6;
  --bad: #a1151d; --bad-bg: #fde6e7; --grey: #4a4a55; --grey-bg: #ececf0; --link: #0b4f8a; --focus: #1a56db; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8ee; --bg: #15151a; --muted: #b0b0bc; --line: #3d3d48; --bg-soft: #202028;
    --ok: #7ddc99; --ok-bg: #10301c; --info: #9ccbff; --info-bg: #102840; --warn: #f5c96e; --warn-bg: #33260a;
    --bad: #ffa3a8; --bad-bg: #3d1417; --grey: #cacad2; --grey-bg: #2a2a32; --link: #9ccbff; --focus: #8ab8ff; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--fg); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; overflow-wrap: break-word; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: 8px; top: -40px; background: var(--bg); padding: 6px 10px; z-index: 1; }
.skip-link:focus { top: 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
h3 .count { font-weight: normal; color: var(--muted); font-size: 13px; margin-left: 8px; }
.meta, .none, .id, .see-changes, .last-recorded-error { color: var(--muted); }
.mode { display: inline-block; margin: 6px 0; padding: 4px 10px; border-radius: 4px; font-weight: 600; }
.mode.dry-run { background: var(--info-bg); color: var(--info); }
.mode.applied { background: var(--ok-bg); color: var(--ok); }
#headline { font-size: 16px; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--bg-soft); }
.card .value { display: block; font-size: 24px; font-weight: 700; }
.card .label { display: block; color: var(--muted); font-size: 12px; }
.card.warn { border-color: var(--warn); background: var(--warn-bg); }
.notice { border-left: 4px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: 8px 12px; margin: 10px 0; }
.notice p { margin: 0 0 4px; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.tables > table { max-width: 100%; }
table { border-collapse: collapse; margin: 8px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.contacts, table.orphans, table.members, table.runs { width: 100%; }
table.contacts td:first-child { width: 18%; }
table.contacts td:nth-child(2) { width: 12%; }
table.contacts td:last-child { width: 28%; }
.name { font-weight: 600; }
.id { font-family: ui-monospace, "SF Mono", Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap;
  border: 1px solid currentColor; }
.status-active { color: var(--ok); background: var(--ok-bg); }
.status-invited, .status-waiting_for_dataverse_user, .status-pending { color: var(--info); background: var(--info-bg); }
.status-no_licence_units, .status-removal_blocked, .status-quarantined { color: var(--warn); background: var(--warn-bg); }
.status-error { color: var(--bad); background: var(--bad-bg); }
.status-deprovisioned, .status-out_of_scope { color: var(--grey); background: var(--grey-bg); }
ol.changes { margin: 0; padding-left: 20px; }
li.change { margin-bottom: 8px; }
.change-label { font-weight: 600; }
.target { color: var(--muted); }
ul.fields { margin: 2px 0; padding-left: 18px; }
.before { color: var(--muted); }
.reason { margin: 2px 0; font-style: italic; }
.outcome { margin: 2px 0; font-weight: 600; }
.outcome-applied { color: var(--ok); }
.outcome-failed { color: var(--bad); }
.outcome-blocked, .outcome-skipped, .outcome-not_reached { color: var(--warn); }
.error { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: 6px 10px; margin: 4px 0; }
.warning { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: 6px 10px; margin: 4px 0; }
.error p { margin: 0 0 4px; }
.error code { font-weight: 700; }
code { overflow-wrap: anywhere; }
.what-to-do { font-weight: 600; }
.remains p { margin: 4px 0 0; }
.d365 { font-size: 12px; }
.id-name { font-weight: 600; }
#toc ul { margin: 4px 0; padding-left: 20px; }
#toc .count { color: var(--muted); font-size: 12px; }
#filters { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg-soft); padding: 8px 12px; margin: 8px 0 12px; }
#filters p { margin: 0; }
#filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
#filters legend { font-weight: 600; float: left; margin-right: 8px; }
#filter-text { font: inherit; padding: 4px 6px; min-width: 0; max-width: 100%; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
.filter-option { white-space: nowrap; }
th button.sort { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: left; }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; }
th[aria-sort="descending"] button.sort::after { content: " \\25BC"; }
footer { margin-top: 32px; color: var(--muted); border-top: 1px solid var(--line); }
@media (max-width: 700px) {
  body { padding: 12px; }
  h1 { font-size: 19px; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); }
  table.contacts, table.contacts tbody, table.contacts tr, table.contacts td,
  table.orphans, table.orphans tbody, table.orphans tr, table.orphans td,
  table.runs, table.runs tbody, table.runs tr, table.runs td { display: block; width: 100% !important; }
  table.contacts thead, table.orphans thead, table.runs thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.contacts tr, table.orphans tr, table.runs tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; padding: 4px 0; }
  table.contacts td, table.orphans td, table.runs td { border-bottom: none; padding: 4px 10px; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: 12px; font-weight: 600; color: var(--muted); }
  td.contact-name[data-label]::before { display: none; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .card, .notice, .error, .badge, .mode { background: none !important; }
  thead { display: table-header-group; }
  tr, li.change, .card, .notice { break-inside: avoid; }
  section.vendor { break-before: auto; }
  h2, h3 { break-after: avoid; }
  #toc, #filters, .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { display: none; }
}
`;
