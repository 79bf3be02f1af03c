/**
 * fast-check arbitraries for the customer portal family (reconcilers/portal/): tenants of customer
 * contacts (access on, off or never set; active or inactive; an email that is usable, missing or
 * unusable; a parent account or none; holding the site's web role or not), their invitations (the
 * product's, issued by its application user, or a maker's; New, Sent, Redeemed or Inactive; expired,
 * expiring today, later or never; for the site or another; giving the web role or not; Single or
 * Group; for the contact, another contact or a stranger), the role's members the product never
 * managed, and the family's settings (sending on or off, expiry days).
 *
 * The tenant holds every row, codes included; the model is what the product reads of it: the
 * tables' own filters (reconcilers/portal/tables.ts, through the core's rowPredicate) and their
 * columns, so an Inactive or Group invitation, a contact it never managed with access off, and every
 * invitation code stay out of the observation, as in a real read. Ground truth for the properties
 * comes from the tenant, not from the product.
 */
import fc from 'fast-check';
import type { Settings } from '../../src/config.js';
import type { Observation } from '../../src/model/observation.js';
import { rowPredicate } from '../../src/engine/tables/table.js';
import { INVITATION, type InvitationRow, type PortalContactRow } from '../../reconcilers/portal/rows.js';
import { PORTAL_STATUS } from '../../reconcilers/portal/status.js';
import { PORTAL_CONTACTS, PORTAL_INVITATIONS } from '../../reconcilers/portal/tables.js';
import { ACCOUNT, APP_USER, contactId, invitationId, MAKER, NOW, OTHER_WEBSITE, portalContact, portalObservation, portalTestSettings, WEBSITE, WORKFLOW } from '../support/portal-model.js';

const OTHER_ACCOUNT = 'a0000000-0000-4000-8000-0000000000c2';
const GROUP_TYPE = 756150001;

/** Emails as an admin may leave them; `usable` is whether an invitation can be mailed there. */
export const PORTAL_EMAILS: readonly { value: string | null; usable: boolean }[] = [
  { value: 'carla@customer.example', usable: true },
  { value: '  Dan.Doe@Customer.Example ', usable: true },
  { value: "o'hara+portal@customer.example", usable: true },
  { value: null, usable: false },
  { value: '', usable: false },
  { value: 'carla at customer', usable: false },
];

/** Expiry dates around "today" (2026-11-23 at NOW): past, today (no longer redeemable), later, never. */
const EXPIRY = { past: '2026-11-20', today: '2026-11-23', later: '2026-12-02', never: null } as const;
/** When the model is observed: the tenant's day, its last millisecond, and after every later expiry. */
const OBSERVED_AT = [NOW, NOW, '2026-11-23T23:59:59.999Z', '2026-12-05T08:00:00.000Z'];

const arbInvitation = fc.record({
  ours: fc.constantFrom(true, true, false),
  state: fc.constantFrom('new', 'sent', 'sent', 'redeemed', 'inactive'),
  expiry: fc.constantFrom<keyof typeof EXPIRY>('past', 'today', 'later', 'later', 'never'),
  onSite: fc.constantFrom(true, true, true, false),
  givesRole: fc.constantFrom(true, true, false),
  group: fc.constantFrom(false, false, false, true),
  invitee: fc.constantFrom('self', 'self', 'self', 'other', 'stranger'),
  createdDay: fc.constantFrom(2, 10, 16, 16),
});

const arbContact = fc.record({
  access: fc.constantFrom<boolean | null>(true, true, true, false, null),
  statecode: fc.constantFrom(0, 0, 0, 1),
  status: fc.constantFrom<number | null>(null, null, PORTAL_STATUS.invitationSent, PORTAL_STATUS.active, PORTAL_STATUS.accessRemoved, PORTAL_STATUS.error),
  email: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.nat({ max: PORTAL_EMAILS.length - 1 }) }),
  account: fc.constantFrom<string | null>(ACCOUNT, ACCOUNT, OTHER_ACCOUNT, null),
  hasRole: fc.boolean(),
  invitations: fc.array(arbInvitation, { maxLength: 3 }),
});

export type PortalContactSpec = typeof arbContact extends fc.Arbitrary<infer T> ? T : never;

export type TenantInvitation = InvitationRow & { adx_invitationcode: string };

export interface PortalCase {
  /** What the product observes of the tenant. */
  model: Observation;
  settings: Settings;
  /** Every row of the tenant, whatever the product reads. */
  contacts: PortalContactRow[];
  invitations: TenantInvitation[];
  /** Contact id → whether its email is usable (the generator's, not the product's, judgement). */
  usableEmail: ReadonlyMap<string, boolean>;
}

/** A code as Microsoft's portal makes them (Base64 with -), distinct per invitation. */
const codeOf = (n: number): string => `Zq${n}Xv-8kPm${n}Lr2Tw9-Yb${(n * 7919).toString(36)}Hc-`;

function invitationOf(spec: PortalContactSpec['invitations'][number], n: number, self: string, other: string): TenantInvitation {
  const invitee = spec.invitee === 'self' ? self : spec.invitee === 'other' ? other : contactId(0x800 + n);
  const redeemed = spec.state === 'redeemed';
  return {
    adx_invitationid: invitationId(n),
    adx_name: `Portal invitation ${n}`,
    adx_type: spec.group ? GROUP_TYPE : INVITATION.single,
    adx_expirydate: EXPIRY[spec.expiry],
    _adx_invitecontact_value: invitee,
    _adx_redeemedcontact_value: redeemed ? invitee : null,
    _adx_website_value: spec.onSite ? WEBSITE : OTHER_WEBSITE,
    adx_redemptions: redeemed ? 1 : 0,
    statecode: spec.state === 'inactive' ? 1 : 0,
    statuscode: STATUS[spec.state]!,
    createdon: `2026-11-${String(spec.createdDay).padStart(2, '0')}T09:00:00Z`,
    _createdby_value: spec.ours ? APP_USER : MAKER,
    adx_invitationcode: codeOf(n),
  };
}

const STATUS: Readonly<Record<string, number>> = { new: INVITATION.new, sent: INVITATION.sent, redeemed: INVITATION.redeemed, inactive: INVITATION.inactive };
const INVITATION_COLUMNS: readonly string[] | null = PORTAL_INVITATIONS.columns;

/** The row as the table's read returns it: its declared columns only (null: every column). */
function asRead(row: TenantInvitation): InvitationRow {
  return Object.fromEntries(Object.entries(row).filter(([k]) => INVITATION_COLUMNS?.includes(k) ?? true)) as unknown as InvitationRow;
}

export function buildPortalCase(specs: PortalContactSpec[], strangers: number, observedAt: string, sendInvitation: boolean, invitationExpiryDays: number): PortalCase {
  const contacts: PortalContactRow[] = [];
  const invitations: TenantInvitation[] = [];
  const roleContactIds: string[] = [];
  const roleInvitationIds: string[] = [];
  const usableEmail = new Map<string, boolean>();
  specs.forEach((spec, i) => {
    const id = contactId(i + 1);
    const email = PORTAL_EMAILS[spec.email]!;
    usableEmail.set(id, email.usable);
    contacts.push(portalContact(id, { emailaddress1: email.value, statecode: spec.statecode, o25fs_portalaccess: spec.access, o25fs_portalstatus: spec.status, _parentcustomerid_value: spec.account, fullname: `Customer ${i + 1}` }));
    if (spec.hasRole) roleContactIds.push(id);
    for (const inv of spec.invitations) {
      const row = invitationOf(inv, invitations.length + 1, id, contactId(((i + 1) % specs.length) + 1));
      invitations.push(row);
      if (inv.givesRole) roleInvitationIds.push(row.adx_invitationid);
    }
  });
  for (let k = 0; k < strangers; k++) roleContactIds.push(contactId(0x900 + k));
  const readContact = rowPredicate<PortalContactRow>(PORTAL_CONTACTS.filter);
  const readInvitation = rowPredicate<InvitationRow>(PORTAL_INVITATIONS.filter);
  const model = portalObservation({
    observedAt,
    contacts: contacts.filter(readContact),
    invitations: invitations.filter(readInvitation).map(asRead),
    roleContactIds,
    roleInvitationIds,
    lookups: { sendWorkflowId: sendInvitation ? WORKFLOW : null },
  });
  return { model, settings: portalTestSettings({ sendInvitation, invitationExpiryDays }), contacts, invitations, usableEmail };
}

export const arbPortalCase: fc.Arbitrary<PortalCase> = fc
  .record({
    contacts: fc.array(arbContact, { minLength: 1, maxLength: 5 }),
    strangers: fc.nat({ max: 2 }),
    observedAt: fc.constantFrom(...OBSERVED_AT),
    sendInvitation: fc.constantFrom(true, true, false),
    expiryDays: fc.constantFrom(1, 14, 14, 365),
  })
  .map((c) => buildPortalCase(c.contacts, c.strangers, c.observedAt, c.sendInvitation, c.expiryDays));

/** The model and settings alone, as the kind conformance kit takes them. */
export const arbPortalModel: fc.Arbitrary<{ model: Observation; settings: Settings }> = arbPortalCase.map(({ model, settings }) => ({ model, settings }));
