/**
 * The report page's one script: search, status filters and sortable tables, all in the page (no
 * request to a server). It is allowed by its SHA-256 hash in the Content-Security-Policy, the same
 * policy in the page's meta tag and in the HTTP header (src/app/http-handlers.ts). A hash rather than
 * a per-response nonce because the page is also a file (`plan --format html --out report.html`)
 * that no server sends: the hash holds wherever the page is opened, and only this exact text runs.
 * An injected <script> or onclick= has no hash, so the policy still blocks it.
 *
 * The page reads fully without it: the filter controls are `hidden` until the script shows them,
 * and the sort buttons are added by the script. It reads only textContent and attributes and
 * writes only `hidden`, aria-sort, textContent and row order: no markup from data is ever parsed.
 *
 * Hooks it uses: #filters[data-noun], #filter-text, #filter-status input[value], #filter-count,
 * tr.contact / tr.member [data-status], section.vendor / section.group-section [id], #toc a[href],
 * table[data-sortable] th (data-nosort skips a column), td[data-sort] (the value to sort by).
 */
import { createHash } from 'node:crypto';

export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var filters = doc.getElementById('filters');
  if (filters) {
    var text = doc.getElementById('filter-text');
    var boxes = filters.querySelectorAll('#filter-status input[type=checkbox]');
    var count = doc.getElementById('filter-count');
    var rows = [];
    each(doc.querySelectorAll('tr.contact, tr.member'), function (r) {
      rows.push({ row: r, text: r.textContent.toLowerCase(), status: r.getAttribute('data-status'), counted: r.classList.contains('contact') });
    });
    var apply = function () {
      var query = text.value.trim().toLowerCase();
      var on = {};
      each(boxes, function (b) { if (b.checked) on[b.value] = true; });
      var shown = 0, total = 0;
      rows.forEach(function (r) {
        var match = on[r.status] === true && (query === '' || r.text.indexOf(query) >= 0);
        r.row.hidden = !match;
        if (r.counted) { total++; if (match) shown++; }
      });
      each(doc.querySelectorAll('section.vendor, section.group-section'), function (s) {
        var hide = s.querySelector('tr.contact, tr.member') !== null && s.querySelector('tr.contact:not([hidden]), tr.member:not([hidden])') === null;
        s.hidden = hide;
        var link = s.id ? doc.querySelector('#toc a[href="#' + s.id + '"]') : null;
        if (link && link.parentNode) link.parentNode.hidden = hide;
      });
      count.textContent = shown === total ? 'Showing all ' + total + ' ' + filters.getAttribute('data-noun') + '.' : 'Showing ' + shown + ' of ' + total + ' ' + filters.getAttribute('data-noun') + '.';
    };
    text.addEventListener('input', apply);
    each(boxes, function (b) { b.addEventListener('change', apply); });
    filters.hidden = false;
    apply();
  }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  var key = function (row, col) {
    var cell = row.cells[col];
    if (!cell) return '';
    var given = cell.getAttribute('data-sort');
    return given !== null ? given : cell.textContent.trim();
  };
  each(doc.querySelectorAll('table[data-sortable]'), function (table) {
    if (!table.tHead || !table.tBodies[0]) return;
    var heads = table.tHead.rows[0].cells;
    each(heads, function (th, col) {
      if (th.hasAttribute('data-nosort')) return;
      var button = doc.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        each(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0];
        var list = Array.prototype.slice.call(body.rows);
        list.sort(function (a, b) {
          var x = key(a, col), y = key(b, col);
          var nx = Number(x), ny = Number(y);
          var order = x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny) ? nx - ny : collator.compare(x, y);
          return dir === 'ascending' ? order : -order;
        });
        list.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;

/** The CSP source that allows exactly REPORT_SCRIPT. */
export const REPORT_SCRIPT_HASH = `'sha256-${createHash('sha256').update(REPORT_SCRIPT, 'utf8').digest('base64')}'`;

/**
 * The page's policy: nothing loads, only the report's own script runs, styles inline. The meta tag
 * carries it as is; the HTTP header adds frame-ancestors, which a meta tag cannot carry.
 */
export const REPORT_CSP = `default-src 'none'; script-src ${REPORT_SCRIPT_HASH}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

export const REPORT_CSP_HEADER = `${REPORT_CSP}; frame-ancestors 'none'`;
