/**
 * Issue 5, "Errors": a contact that fails in several runs in a row is backed off with growing
 * intervals and shown as quarantined
 * (learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status:
 * per-object retries scale back
 * to once a day; here 1 h, 2 h … 24 h after QUARANTINE_AFTER_FAILURES=3 failed runs). The failure
 * is real: the email is in a domain the tenant has verified, so Graph refuses the invitation with
 * 400 (learn.microsoft.com/graph/api/invitation-post; the plan cannot see it, no observed user
 * carries that domain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { QUARANTINED } from '../../src/engine/guards/index.js';
import { statusToOptionValue } from '../../reconcilers/technicians/status-codes.js';
import type { RunRecord } from '../../src/model/run.js';
import { startTenant, type Tenant } from '../support/tenant.js';
import { callsOf, guardTenant } from './guards-fixture.js';

const DOMAIN = 'fieldops-contoso.com';
const world = guardTenant({ converged: 3, fresh: 1, freshEmail: () => `tech.inside@${DOMAIN}`, extraVerifiedDomains: [DOMAIN] });
const bad = world.fresh[0]!.contactId;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(world.fixture, world.settings);
});
afterAll(() => t.stop());

async function runAt(ms: number, scope: RunRecord['scope'] = { kind: 'tenant' }): Promise<{ run: RunRecord; invitations: number }> {
  await t.s.admin('DELETE', '/requests');
  const run = await t.engine({ now: () => new Date(ms) }).run({ scope, dryRun: false, trigger: 'cli' });
  const calls = callsOf((await t.s.admin('GET', '/requests')).json.value);
  return { run, invitations: calls.filter((c) => c.method === 'POST' && c.path.startsWith('/invitations')).length };
}
const stored = (): Record<string, unknown> => t.s.sim.state.dataverse.get('contacts', bad)!;
const counters = (): { failures: unknown; next: unknown; status: unknown } => {
  const row = stored();
  const next = row.o25fs_nextattemptat;
  return { failures: row.o25fs_consecutivefailures ?? 0, next: typeof next === 'string' ? iso(Date.parse(next)) : next ?? null, status: row.o25fs_provisioningstatus };
};

describe('quarantine of a contact whose invitation keeps failing', () => {
  it('counts two failed runs and still tries each time', async () => {
    for (const [k, at] of [[1, T0], [2, T0 + HOUR]] as const) {
      const { run, invitations } = await runAt(at);
      expect(invitations).toBe(1);
      expect(run.results.find((r) => r.changeId === `${bad}/user.invite`)).toMatchObject({ outcome: 'failed', error: { code: 'EMAIL_IN_TENANT_DOMAIN' } });
      expect(counters()).toEqual({ failures: k, next: null, status: statusToOptionValue('error') });
    }
    // The other technicians are untouched by the counters.
    for (const c of world.converged) expect(t.s.sim.state.dataverse.get('contacts', c.contactId)!.o25fs_consecutivefailures ?? 0).toBe(0);
  });

  it('the third failed run quarantines it for 1 h, keeping the last error', async () => {
    const { run, invitations } = await runAt(T0 + 2 * HOUR);
    expect(invitations).toBe(1);
    expect(run.statuses[technicianKey(bad)]).toBe('quarantined');
    expect(counters()).toEqual({ failures: 3, next: iso(T0 + 3 * HOUR), status: statusToOptionValue('quarantined') });
    expect(String(stored().o25fs_provisioningerror)).toMatch(/verified domains.*What to do: Use the technician's own \(external\) email/);
  });

  it('while quarantined a run does not attempt it: no invitation, its changes held back with the next attempt time, nothing written', async () => {
    const before = { ...stored() };
    const { run, invitations } = await runAt(T0 + 2 * HOUR + 30 * MIN);
    expect(invitations).toBe(0);
    const own = run.plan.changes.filter((c) => c.subject.id === bad);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => c.blocked?.code === QUARANTINED)).toBe(true);
    expect(run.results.filter((r) => r.subjectKey === technicianKey(bad)).every((r) => r.outcome === 'blocked')).toBe(true);
    const contact = run.plan.subjects.find((c) => c.subject.id === bad)!;
    expect(contact.status).toBe('quarantined');
    expect(contact.error!.message).toBe(`Failed in 3 runs in a row, so it is quarantined: no attempt before ${iso(T0 + 3 * HOUR)}. Last error: ${String(before.o25fs_provisioningerror)}`);
    expect(contact.error!.action).toContain(`vendor-reconciler apply --contact ${bad}`);
    expect(stored().modifiedon).toBe(before.modifiedon);
  });

  it('a run an admin scopes to the contact tries it now; the failure doubles the wait (2 h)', async () => {
    const at = T0 + 2 * HOUR + 40 * MIN;
    const { run, invitations } = await runAt(at, { kind: 'subjects', family: 'technicians', subjectIds: [bad] });
    expect(invitations).toBe(1);
    expect(run.statuses[technicianKey(bad)]).toBe('quarantined');
    expect(counters()).toEqual({ failures: 4, next: iso(at + 2 * HOUR), status: statusToOptionValue('quarantined') });
  });

  it('once the cause is fixed, the first run after the next attempt time succeeds and clears the quarantine', async () => {
    t.s.sim.state.tenant.verifiedDomains = t.s.sim.state.tenant.verifiedDomains.filter((d) => d !== DOMAIN);
    const next = T0 + 4 * HOUR + 40 * MIN;
    expect((await runAt(next - MIN)).invitations).toBe(0);
    const { run, invitations } = await runAt(next);
    expect(invitations).toBe(1);
    expect(run.results.filter((r) => r.subjectKey === technicianKey(bad)).every((r) => r.outcome === 'applied')).toBe(true);
    expect(run.statuses[technicianKey(bad)]).toBe('invited');
    expect(counters()).toEqual({ failures: 0, next: null, status: statusToOptionValue('invited') });
    expect(stored().o25fs_provisioningerror).toBeNull();
  });
});
