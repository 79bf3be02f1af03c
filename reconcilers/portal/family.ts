/**
 * The customer portal access family (issue 13, seed 001: Field Service's self-scheduling portal).
 * A customer contact with o25fs_portalaccess Yes gets the site's web role and exactly one usable
 * invitation, mailed by the environment's Send Invitation workflow, until it redeems one; when access
 * is turned off or the contact is deactivated, the role and its unredeemed invitations go (guarded).
 * src/engine/family.ts states the contract; desired.ts, match.ts and the kinds (web-role.ts,
 * invitation.ts) do the work; status.ts writes the contact's portal status.
 */
import type { Settings } from '../../src/config.js';
import type { Family, FamilyPlan } from '../../src/engine/family.js';
import { cmp } from '../../src/engine/compare.js';
import { ConfigurationError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change, ProvisioningStatus, RunScope, SubjectPlan } from '../../src/model/plan.js';
import { PORTAL, portalSubject } from './common.js';
import { computePortalDesired } from './desired.js';
import { PORTAL_KINDS } from './index.js';
import { isUsable } from './invitation.js';
import { indexPortal, observedPortal } from './match.js';
import { observePortal, portalIncremental } from './observe.js';
import { INVITATION, type PortalContactRow } from './rows.js';
import type { PortalSettings } from './settings.js';
import type { DesiredPortal, InvitationView, ObservedPortal } from './state.js';
import { portalStatusOf, portalStatusWrites } from './status.js';
import { PORTAL_TABLES } from './tables.js';
import './change-kinds.js';
import './observation.js';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

export function checkPortalConfiguration(observation: Observation, settings: PortalSettings): void {
  const p = observation.portal;
  if (!p?.website) {
    throw new ConfigurationError(
      'PORTAL_WEBSITE_NOT_FOUND',
      `PORTAL_WEBSITE_ID=${settings.websiteId} is not a website (adx_website) of this environment, so no customer can be given portal access; the run stops.`,
      "Set PORTAL_WEBSITE_ID to the Field Service portal's website id (Portal Management, Websites), or clear it to turn the customer portal family off.",
    );
  }
  const onSite = p.roles.filter((r) => lc(r._adx_websiteid_value) === lc(settings.websiteId));
  if (onSite.length === 0) {
    const elsewhere = p.roles.length > 0 ? ` (${p.roles.length} web role(s) of that name belong to other websites)` : '';
    throw new ConfigurationError(
      'PORTAL_WEB_ROLE_NOT_FOUND',
      `The website ${p.website.adx_name ?? settings.websiteId} has no web role named "${settings.webRoleName}"${elsewhere}; the run stops.`,
      'Create that web role on the website (Portal Management, Web Roles), or set PORTAL_WEB_ROLE_NAME to the exact name of the role customers need.',
    );
  }
  if (onSite.length > 1) {
    throw new ConfigurationError(
      'PORTAL_WEB_ROLE_AMBIGUOUS',
      `The website ${p.website.adx_name ?? settings.websiteId} has ${onSite.length} web roles named "${settings.webRoleName}" (${onSite.map((r) => r.adx_webroleid).sort(cmp).join(', ')}); the product cannot tell which one to give, so the run stops.`,
      'Rename or delete the duplicate web role in Portal Management, so the name is unique on the website.',
    );
  }
  if (settings.sendInvitation && !p.sendWorkflowId) {
    throw new ConfigurationError(
      'PORTAL_SEND_WORKFLOW_NOT_FOUND',
      `PORTAL_SEND_INVITATION is on, but the environment has no activated workflow named "${settings.sendInvitationWorkflowName}", so invitations could not be mailed; the run stops.`,
      'Activate the portal\'s Send Invitation workflow, set PORTAL_SEND_INVITATION_WORKFLOW to its name, or set PORTAL_SEND_INVITATION=false and hand the codes over another way.',
    );
  }
}

function inScope(contact: PortalContactRow, scope: RunScope): boolean {
  if (scope.kind === 'tenant') return true;
  if (scope.family !== PORTAL) return false;
  if (scope.kind === 'group') return lc(contact._parentcustomerid_value) === lc(scope.groupId);
  return scope.subjectIds.some((id) => lc(id) === lc(contact.contactid));
}

/** The contact's status once this plan is applied. */
function plannedStatus(desired: DesiredPortal, observed: ObservedPortal, changes: readonly Change[]): ProvisioningStatus {
  if (desired.intent === 'ignore') return 'out_of_scope';
  if (desired.intent === 'deprovision') return 'deprovisioned';
  // Only a Single invitation's redemption is the contact's own (a Group code is shared).
  if (observed.invitations.some((v) => v.redeemed && v.row.adx_type === INVITATION.single)) return 'active';
  const sent = (id: string): boolean => observed.invitations.some((v) => v.row.adx_invitationid === id && v.row.statuscode !== 1) || changes.some((c) => c.kind === 'invitation.send' && c.target.id === id);
  const issued = [...observed.invitations.filter(isUsable).map((v) => v.row.adx_invitationid), ...changes.filter((c) => c.kind === 'invitation.create').map((c) => String(c.target.id))];
  return issued.some(sent) ? 'invited' : 'pending';
}

/**
 * What the product leaves in place and the admin should know of: the role on a contact it never
 * managed, and every usable invitation someone else issued (it never changes those, so one can still
 * be redeemed after access was removed).
 */
/** Someone else's invitation whose code still works: active, unexpired, for the site, of either type (a redeemed Single is spent). */
const redeemable = (v: InvitationView): boolean => v.row.statecode === 0 && !v.expired && v.onSite && !(v.row.adx_type === INVITATION.single && v.redeemed);

function remainsOf(desired: DesiredPortal, observed: ObservedPortal, roleName: string): { remains?: string[] } {
  const remains: string[] = [];
  if (desired.intent === 'ignore' && observed.hasRole) remains.push(`web role ${roleName}, given by someone else (the product never managed this contact)`);
  for (const v of observed.invitations.filter((i) => !i.ours && redeemable(i))) {
    const until = v.row.adx_expirydate ? `until ${v.row.adx_expirydate}` : 'with no expiry date';
    const advice = desired.intent === 'provision' ? '' : ': withdraw it in Portal Management (Invitations) if this customer should not have portal access';
    remains.push(`invitation ${v.row.adx_name ?? v.row.adx_invitationid}, issued by someone else, can still be redeemed ${until}${advice}`);
  }
  return remains.length > 0 ? { remains } : {};
}

function planPortal(observation: Observation, settings: PortalSettings, _core: Settings, scope: RunScope): FamilyPlan {
  const p = observation.portal!;
  const role = p.roles.find((r) => lc(r._adx_websiteid_value) === lc(settings.websiteId))!;
  const index = indexPortal(observation);
  const context = { roleId: role.adx_webroleid.toLowerCase(), sendWorkflowId: p.sendWorkflowId, now: Date.parse(observation.observedAt) };
  const accounts = new Map((p.accounts ?? []).map((a) => [lc(a.accountid), a.name]));
  const changes: Change[] = [];
  const subjects: SubjectPlan[] = [];
  const contacts = [...(observation.portalContacts ?? [])].sort((a, b) => cmp(lc(a.contactid), lc(b.contactid)));
  for (const contact of contacts) {
    if (!inScope(contact, scope)) continue;
    const stored = { storedStatus: portalStatusOf(contact.o25fs_portalstatus), storedError: contact.o25fs_portalerror ?? null };
    const withName = <T extends { subject: SubjectPlan['subject'] }>(s: T): T => ({ ...s, subject: { ...s.subject, group: s.subject.group ? { ...s.subject.group, name: accounts.get(lc(s.subject.group.id)) ?? null } : null } });
    const outcome = computePortalDesired(contact, settings, context);
    if (!outcome.ok) {
      const subject = { family: PORTAL, table: 'contacts', id: lc(contact.contactid), displayName: outcome.displayName, group: contact._parentcustomerid_value ? { id: contact._parentcustomerid_value, name: null } : null };
      subjects.push(withName({ subject, ...stored, intent: outcome.intent, status: 'error', error: outcome.error.toJSON(), changeIds: [] }));
      continue;
    }
    const desired = outcome.desired;
    const observed = observedPortal(contact, desired, index);
    const subject = withName({ subject: portalSubject(desired) }).subject;
    const own = PORTAL_KINDS.flatMap((k) => k.diff(desired, observed)).map((c) => ({ ...c, subject }));
    changes.push(...own);
    subjects.push({
      subject,
      ...stored,
      intent: desired.intent,
      status: plannedStatus(desired, observed, own),
      changeIds: own.map((c) => c.id).sort(cmp),
      ...remainsOf(desired, observed, role.adx_name ?? role.adx_webroleid),
    });
  }
  return { changes, subjects, orphans: [], licences: [] };
}

export const portalFamily: Family<PortalSettings> = {
  name: PORTAL,
  tables: PORTAL_TABLES,
  kinds: PORTAL_KINDS,
  settingsOf: (settings) => settings.families.portal ?? null,
  observe: (rows, services, settings) => observePortal(rows, services, settings),
  incremental: portalIncremental,
  checkConfiguration: (observation, settings) => checkPortalConfiguration(observation, settings),
  plan: planPortal,
  statusWrites: (subjects, statuses) => portalStatusWrites(subjects, statuses),
  // Customers with access today: the contacts holding the site's web role.
  withAccess: (observation) => observation.portal?.roleContactIds.length ?? 0,
  createdAt: (observation) => {
    const rows = new Map((observation.portalContacts ?? []).map((c) => [lc(c.contactid), c.createdon ?? null]));
    return (subjectId) => rows.get(lc(subjectId)) ?? null;
  },
};
