/**
 * The report page's stylesheet, inlined so the page is one file. System fonts, colours that pass
 * WCAG AA on white, status shown as text in a badge (never colour alone), and a print layout.
 */
export const STYLE = `
:root { --fg: #1b1b1f; --muted: #5b5b66; --line: #d8d8de; --bg-soft: #f5f5f8;
  --ok: #0b6b2f; --ok-bg: #e3f4e8; --info: #0b4f8a; --info-bg: #e4eefa; --warn: #7a4a00; --warn-bg: #fff2d6;
  --bad: #a1151d; --bad-bg: #fde6e7; --grey: #4a4a55; --grey-bg: #ececf0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--fg); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
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
.card .label { display: block; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.card.warn { border-color: var(--warn); background: var(--warn-bg); }
.notice { border-left: 4px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: 8px 12px; margin: 10px 0; }
.notice p { margin: 0 0 4px; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
table { border-collapse: collapse; margin: 8px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.contacts { width: 100%; }
table.contacts td:first-child { width: 18%; }
table.contacts td:nth-child(2) { width: 12%; }
table.contacts td:last-child { width: 28%; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.id { font-family: ui-monospace, "SF Mono", Consolas, monospace; font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap;
  border: 1px solid currentColor; }
.status-active { color: var(--ok); background: var(--ok-bg); }
.status-invited, .status-waiting_for_dataverse_user, .status-pending { color: var(--info); background: var(--info-bg); }
.status-no_licence_units, .status-removal_blocked, .status-quarantined { color: var(--warn); background: var(--warn-bg); }
.status-error { color: var(--bad); background: var(--bad-bg); }
.status-deprovisioned, .status-out_of_scope { color: var(--grey); background: var(--grey-bg); }
ol.changes { margin: 0; padding-left: 20px; }
li.change { margin-bottom: 8px; overflow-wrap: anywhere; }
.change-label { font-weight: 600; }
.target { color: var(--muted); }
ul.fields { margin: 2px 0; padding-left: 18px; }
.before { color: var(--muted); }
.reason { margin: 2px 0; font-style: italic; }
.outcome { margin: 2px 0; font-weight: 600; }
.outcome-applied { color: var(--ok); }
.outcome-failed { color: var(--bad); }
.outcome-blocked, .outcome-skipped, .outcome-not_reached { color: var(--warn); }
.error { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: 6px 10px; margin: 4px 0; overflow-wrap: anywhere; }
.warning { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: 6px 10px; margin: 4px 0; overflow-wrap: anywhere; }
.error p { margin: 0 0 4px; }
.error code { font-weight: 700; }
.what-to-do { font-weight: 600; }
.remains p { margin: 4px 0 0; }
footer { margin-top: 32px; color: var(--muted); border-top: 1px solid var(--line); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .card, .notice, .error, .badge, .mode { background: none !important; }
  thead { display: table-header-group; }
  tr, li.change, .card, .notice { break-inside: avoid; }
  section.vendor { break-before: auto; }
  h2, h3 { break-after: avoid; }
}
`;
