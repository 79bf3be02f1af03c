/**
 * The shape of one bad-input case (issue 5): one bad contact among the three good ones, run through
 * the real engine against the simulator until quiet. Either the bad contact is repaired (then it is
 * converged like the others) or it carries a clear error, alone: its SubjectPlan names the code,
 * the status and error written on the contact say the same, no change is planned for it, every other
 * contact converges, and nothing is lost.
 */
import { guestUser } from '../support/model.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { observe } from '../../src/engine/observe.js';
import type { ErrorInfo, Plan } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run.js';
import type { Observer } from '../../src/engine/seams.js';
import { startTenant, type Tenant } from '../support/tenant.js';
import {
  contactPlan, expectConverged, expectNoDuplicates, expectNothingLost, goodContacts, row, runUntilQuiet, smallFixture, snapshot,
  STATUS, type SmallContact, type SmallTenantOptions, type Snapshot,
} from './small-tenant.js';

export interface Case {
  t: Tenant;
  goods: SmallContact[];
  goodIds: string[];
  before: Snapshot;
}

/** One simulator per test file; `load` resets it to a fresh small tenant per test. */
export function corpusTenant(settingsEnv?: Record<string, string>): { get: () => Tenant; load: (bad: SmallContact[], options?: SmallTenantOptions) => Case } {
  let t: Tenant;
  beforeAll(async () => {
    t = settingsEnv ? await startTenant(smallFixture([]), settingsEnv) : await startTenant(smallFixture([]));
  });
  afterAll(() => t.stop());
  return {
    get: () => t,
    load: (bad, options) => {
      const goods = goodContacts();
      t.s.sim.reset(smallFixture([...goods, ...bad], options));
      return { t, goods, goodIds: goods.map((g) => String(g.contact.contactid)), before: snapshot(t) };
    },
  };
}

export const idOf = (c: SmallContact): string => String(c.contact.contactid);

/** Every good contact converged, nothing lost, no duplicate. */
export function expectOthersFine(c: Case, changedByTest: string[] = []): void {
  for (const id of c.goodIds) expectConverged(c.t, id);
  expectNothingLost(c.t, c.before, changedByTest);
  expectNoDuplicates(c.t);
}

/**
 * An email with everything invisible or broken taken out, compatibility-normalised and lower-cased:
 * two addresses with one loose key are "the same" to a reader, so a bad address must not have been
 * invited under any spelling of it (the product must refuse it, not clean it silently).
 */
export function looseEmail(email: unknown): string {
  return String(email ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu, '')
    .normalize('NFKC')
    .trim()
    .toLowerCase();
}

/**
 * Runs until quiet and checks the bad contact ends with `code`, alone: no change planned for it,
 * status "error" and the error text on the contact (well-formed, no control or invisible character
 * of the vendor admin's), no invitation and no user for its email in any spelling.
 */
export async function expectErrorAlone(c: Case, bad: SmallContact, code: string): Promise<{ error: ErrorInfo; last: Plan; runs: RunRecord[] }> {
  const badId = idOf(bad);
  const { last, runs } = await runUntilQuiet(c.t, [badId]);
  const cp = contactPlan(last, badId);
  expect(cp.error?.code, JSON.stringify(cp.error)).toBe(code);
  expect(cp.error!.class).toBe('contact');
  expect(cp.status).toBe('error');
  expect(last.changes).toEqual([]);
  const stored = row(c.t, 'contacts', badId)!;
  expect(stored.o25fs_provisioningstatus).toBe(STATUS.error);
  expect(stored.o25fs_provisioningerror).toBe(`${cp.error!.message} What to do: ${cp.error!.action}`);
  expect(stored.o25fs_entraobjectid).toBeNull();
  expect(String(stored.o25fs_provisioningerror)).not.toMatch(/[\p{Cc}\p{Cs}\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/u);
  const email = looseEmail(bad.contact.emailaddress1);
  if (email) {
    expect(c.t.s.sim.state.invitations.filter((i) => looseEmail(i.invitedUserEmailAddress) === email)).toEqual([]);
    expect([...c.t.s.sim.state.graph.users.values()].filter((u) => looseEmail(u.mail) === email)).toEqual([]);
  }
  expect(runs.every((r) => r.outcome === 'succeeded'), runs.map((r) => r.outcome).join()).toBe(true);
  expectOthersFine(c);
  return { error: cp.error!, last, runs };
}

/** Every contact (the "bad" one too) converged with exactly one invitation per email. */
export async function expectAllConverged(c: Case, bad: SmallContact, expected: { usageLocation?: string } = {}): Promise<{ last: Plan; runs: RunRecord[] }> {
  const { last, runs } = await runUntilQuiet(c.t);
  expect(last.changes).toEqual([]);
  const warnings = last.subjects.find((p) => p.subject.id === idOf(bad))?.warnings?.map((w) => w.message) ?? [];
  expectConverged(c.t, idOf(bad), { ...expected, warnings });
  expectOthersFine(c);
  return { last, runs };
}

/** An observer that hides some users from the bulk read (a guest list that lags behind a write). */
export function hidingUsers(ids: string[]): Observer {
  return {
    observe: async (graph, dataverse, settings, now, families) => {
      const o = await observe(graph, dataverse, settings, now, families);
      return { ...o, users: o.users.filter((u) => !ids.includes(u.id.toLowerCase())) };
    },
  };
}

/** A guest as an earlier invitation left it (before anchoring), shaped as test/support/model.ts makes it. */
export function existingGuest(id: string, email: string): Record<string, unknown> {
  return { ...guestUser(id, email), displayName: email };
}
