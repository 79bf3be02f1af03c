/**
 * Names next to ids and links into Dynamics 365 in the HTML report (src/report/html-names.ts): the
 * SKU's part number from the plan's licence summary, the group's display name from its group names
 * (summary.groups), the time zone's name for its code, and links to
 * the contact's and the bookable resource's records when the report knows the environment's URL.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/index.js';
import { recordUrl, timeZoneName } from '../../../src/report/html-names.js';
import { buildReport } from '../../../src/report/model.js';
import { C, GROUP, RESOURCE_BOB, SKU, makePlan, makeRun } from './fixture.js';

const ENV = 'https://contoso.crm.dynamics.com';

function row(html: string, contactId: string): string {
  const start = html.indexOf(`data-contact-id="${contactId}"`);
  expect(start, contactId).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</tr>', start));
}

const link = (entity: string, id: string): string =>
  `${ENV}/main.aspx?etn=${entity}&amp;id=${id}&amp;pagetype=entityrecord`;

describe('HTML report: names next to ids', () => {
  it('shows the SKU part number before the SKU id of a licence change', () => {
    const html = renderReport('html', { plan: makePlan() });
    const alice = row(html, C.alice);
    expect(alice).toContain(`Licence SKU: <span class="before">(empty)</span> → <span class="after"><span class="id-name">SPE_F1</span> <span class="id" title="${SKU}">c7df2760…</span></span>`);
  });

  it('shows a SKU the licence summary does not name as its id alone', () => {
    const plan = makePlan();
    plan.summary.licences = [];
    const alice = row(renderReport('html', { plan }), C.alice);
    expect(alice).toContain(`<span class="after"><span class="id" title="${SKU}">c7df2760…</span></span>`);
    expect(alice).not.toContain('id-name');
  });

  it('shows the group display name the plan names before the group id, and a group it does not name as its id alone', () => {
    const plan = makePlan();
    const add = plan.changes.find((c) => c.id === `${C.alice}/group.add`)!;
    add.before = null;
    add.after = { groupId: GROUP };
    const named = { ...plan, summary: { ...plan.summary, groups: [{ groupId: GROUP.toUpperCase(), displayName: 'Field <Technicians>' }] } };
    expect(row(renderReport('html', { plan: named }), C.alice)).toContain(
      `Group: <span class="after"><span class="id-name">Field &lt;Technicians&gt;</span> <span class="id" title="${GROUP}">0a1b2c3d…</span></span>`,
    );
    const unnamed = row(renderReport('html', { plan }), C.alice);
    expect(unnamed).toContain(`Group: <span class="after"><span class="id" title="${GROUP}">0a1b2c3d…</span></span>`);
    expect(unnamed).not.toContain('Field &lt;Technicians');
  });

  it('shows the time zone name next to its code, and a code it does not know as the number', () => {
    const html = renderReport('html', { plan: makePlan() });
    expect(row(html, C.jack)).toContain('Time zone: <span class="after"><span class="id-name">GMT Standard Time</span> 85</span>');
    expect(timeZoneName(35)).toBe('Eastern Standard Time');
    expect(timeZoneName(110)).toBe('W. Europe Standard Time');
    expect(timeZoneName(999)).toBeNull();
    expect(timeZoneName('85')).toBeNull();
  });
});

describe('HTML report: links to Dynamics 365', () => {
  it('links each contact to its record and a technician to its bookable resource where the plan names it', () => {
    const html = renderReport('html', { plan: makePlan(), environmentUrl: ENV });
    const bob = row(html, C.bob);
    expect(bob).toContain(`<a class="d365" href="${link('contact', C.bob)}" rel="noopener noreferrer">Open<span class="visually-hidden"> Bob Brown</span> in Dynamics 365</a>`);
    expect(bob).toContain(`<a class="d365" href="${link('bookableresource', RESOURCE_BOB)}" rel="noopener noreferrer">Open<span class="visually-hidden"> the bookable resource of Bob Brown</span> in Dynamics 365</a>`);
    // Jack's resource is created by this plan: the link follows the id his contact is to point at.
    const jack = row(html, C.jack);
    expect(jack).toContain(link('contact', C.jack));
    expect(jack).toContain(link('bookableresource', 'b0000000-0000-4000-8000-000000000012'));
    expect(html.match(/etn=contact&amp;/g)).toHaveLength(12);
  });

  it('after a run, links a new bookable resource by the id the run gave it', () => {
    const run = makeRun();
    const created = run.results.find((r) => r.changeId === `${C.jack}/bookableresource.create`)!;
    created.outcome = 'applied';
    created.createdId = 'b0000000-0000-4000-8000-0000000000c1';
    const html = renderReport('html', { plan: run.plan, run, environmentUrl: ENV });
    expect(row(html, C.jack)).toContain(link('bookableresource', 'b0000000-0000-4000-8000-0000000000c1'));
    expect(html).toContain(link('contact', C.alice));
  });

  it('has no link without the environment URL, for an id that is no GUID, or for a URL that is not https', () => {
    expect(renderReport('html', { plan: makePlan() })).not.toContain('main.aspx');
    const plan = makePlan();
    plan.subjects.find((c) => c.subject.id === C.hank)!.subject.id = 'x" onclick="alert(1)';
    const html = renderReport('html', { plan, environmentUrl: ENV });
    expect(html).not.toContain('onclick="');
    expect(html).not.toContain('id=x');
    const model = buildReport({ plan: makePlan(), environmentUrl: 'http://contoso.crm.dynamics.com' });
    expect(recordUrl(model, 'contact', C.bob)).toBeNull();
    expect(recordUrl(buildReport({ plan: makePlan(), environmentUrl: 'not a url' }), 'contact', C.bob)).toBeNull();
    expect(recordUrl(buildReport({ plan: makePlan(), environmentUrl: `${ENV}/` }), 'contact', C.bob.toUpperCase())).toBe(
      `${ENV}/main.aspx?etn=contact&id=${C.bob}&pagetype=entityrecord`,
    );
  });

  it('links an orphaned bookable resource, never an orphaned group member (an Entra user)', () => {
    const plan = makePlan();
    plan.orphans.push({ kind: 'bookableresource', id: 'b0000000-0000-4000-8000-000000000099', displayName: 'Old resource', reason: 'Matches no contact.' });
    const html = renderReport('html', { plan, environmentUrl: ENV });
    const orphans = html.slice(html.indexOf('<section id="orphans"'));
    expect(orphans).toContain(link('bookableresource', 'b0000000-0000-4000-8000-000000000099'));
    expect(orphans.match(/main\.aspx/g)).toHaveLength(1);
  });
});
