/**
 * The product's demo tenant (fixtures/demo.json, fixtures/demo.settings.json) is tenant-sim's demo
 * generator's output, and its converged technicians carry the mark reconcilers/technicians/ownership.ts writes.
 * These two checks name product files, so they live on the product's side of the package boundary;
 * the rest of the demo fixture's checks are tenant-sim's (packages/tenant-sim/test/conformance/
 * platform-demo-fixture.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_PORTAL_STATUS, buildDemoFixture, demoSettings } from 'tenant-sim/demo-fixture';
import { DEMO_TECHNICIAN_GROUP_ID, FIELD_SERVICE_CONTRACTOR_SKU, technicianMark } from 'tenant-sim/demo-reference';
import { SERVICE_ACCOUNT_SKUS, serviceAccountMark } from 'tenant-sim/demo-service-accounts';
import { formatMark } from '../../reconcilers/technicians/ownership.js';
import { mailNicknameFor } from '../../reconcilers/technicians/service-account-name.js';
import { PORTAL_STATUS } from '../../reconcilers/portal/status.js';
import { INVITATION } from '../../reconcilers/portal/rows.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('demo fixture files', () => {
  it("fixtures/demo.json and demo.settings.json are exactly the generator's output (npx tsx packages/tenant-sim/src/demo-fixture.ts --write)", () => {
    const fixture = buildDemoFixture();
    expect(read('fixtures/demo.json')).toBe(`${JSON.stringify(fixture, null, 2)}\n`);
    expect(JSON.parse(read('fixtures/demo.settings.json'))).toEqual(demoSettings());
    expect(JSON.stringify(buildDemoFixture())).toBe(JSON.stringify(fixture)); // deterministic
  });

  it("converged technicians carry the product's ownership mark exactly as reconcilers/technicians/ownership.ts writes it (a converged tenant needs no write)", () => {
    const contactId = 'A0000000-0000-4000-8000-000000000001';
    const attrs = technicianMark(contactId).onPremisesExtensionAttributes as Record<string, string | null>;
    expect(attrs.extensionAttribute15).toBe(formatMark({ contactId, account: 'guest', groupId: DEMO_TECHNICIAN_GROUP_ID, skuIds: [FIELD_SERVICE_CONTRACTOR_SKU] }));
    expect(Object.keys(attrs)).toHaveLength(15);
  });

  it("the demo's service accounts carry the mark and mailNickname the product writes when it creates one (reconcilers/technicians/service-account*.ts)", () => {
    const contactId = 'A0000000-0000-4000-8000-000000000002';
    const attrs = serviceAccountMark(contactId).onPremisesExtensionAttributes as Record<string, string | null>;
    expect(attrs.extensionAttribute15).toBe(formatMark({ contactId, account: 'service', groupId: DEMO_TECHNICIAN_GROUP_ID, skuIds: SERVICE_ACCOUNT_SKUS }));
    const members = ((buildDemoFixture().graph?.users ?? []) as { userType: string; mailNickname?: string; onPremisesExtensionAttributes?: Record<string, string | null> }[]).filter((u) => u.mailNickname?.startsWith('vr-'));
    expect(members.length).toBeGreaterThanOrEqual(3);
    for (const u of members) {
      const contact = /contact=([0-9a-f-]+)/.exec(u.onPremisesExtensionAttributes?.extensionAttribute15 ?? '')?.[1] ?? '';
      expect(u.mailNickname).toBe(mailNicknameFor(contact));
      expect(u.userType).toBe('Member');
    }
  });

  it("the demo's portal rows use the product's status values (reconcilers/portal/status.ts, rows.ts), so its redeemed customer reads as one", () => {
    expect(DEMO_PORTAL_STATUS).toEqual({ invitationSent: PORTAL_STATUS.invitationSent, active: PORTAL_STATUS.active, error: PORTAL_STATUS.error });
    const invitations = (buildDemoFixture().dataverse?.adx_invitations ?? []) as { adx_type: number; statuscode: number }[];
    expect(invitations.length).toBeGreaterThanOrEqual(1);
    for (const i of invitations) expect([i.adx_type, i.statuscode]).toEqual([INVITATION.single, INVITATION.redeemed]);
  });
});
