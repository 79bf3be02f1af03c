/**
 * user.create: POST /users for a contact's service account (service-account.ts plans it).
 *
 * A create cannot be repeated safely (a second POST is refused with "Another object with the same
 * value for property userPrincipalName already exists", or, with another UPN, would make a second
 * account), so apply looks each account up right before creating it, by its two deterministic
 * keys, mailNickname and userPrincipalName (service-account-name.ts), in Graph $batch envelopes:
 * - none found: the account is created;
 * - found, a Member whose mark says the product created it for this contact: adopted (a run killed
 *   between the create and the anchor written on the contact; or replication lag hid it from the plan);
 * - found, anything else: the contact gets SERVICE_ACCOUNT_UPN_TAKEN and nothing is sent. The
 *   product never adopts an account it did not create (ownership.ts).
 *
 * The request body gets the password only here, at apply time (password.ts): the Change, and so
 * the plan, the report and the run record, never hold it.
 */
import { markAttributeOf } from '../../src/config.js';
import type { GraphApi, ServiceResponse } from '../../src/clients/types.js';
import { ContactError, TransientError, type ReconcilerError } from '../../src/model/errors.js';
import type { Change } from '../../src/model/plan.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { TechnicianChangeSpec } from './common.js';
import { serviceAccountContactOf } from './ownership.js';
import { generatePassword } from './password.js';
import { stableId } from './effects.js';

const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

const LOOKUP_SELECT = 'id,userPrincipalName,mailNickname,userType,onPremisesExtensionAttributes';

function lookupUrl(c: Change): string {
  const filter = `mailNickname eq ${literal(String(c.after?.mailNickname))} or userPrincipalName eq ${literal(String(c.after?.userPrincipalName))}`;
  return `/users?$filter=${encodeURIComponent(filter)}&$select=${LOOKUP_SELECT}`;
}

export function upnTaken(contactId: string, upn: string, holder: Pick<GraphUser, 'id' | 'userPrincipalName'>): ContactError {
  return new ContactError(
    'SERVICE_ACCOUNT_UPN_TAKEN',
    `The service account of contact ${contactId} would be ${upn}, but the Entra user ${holder.userPrincipalName} (${holder.id}) already has that name or its mail nickname, and the product did not create it for this contact. It is not adopted and nothing is created for this contact.`,
    'Find out who owns that Entra user. If it is a leftover of this contact, delete it or give it another name and mail nickname; the next run creates the account.',
  );
}

function judge(c: Change, response: ServiceResponse, markAttribute: string): string | ReconcilerError | undefined {
  if (response.status !== 200) {
    return new TransientError(
      'LOOKUP_FAILED',
      `Could not check whether the service account ${String(c.after?.userPrincipalName)} already exists (HTTP ${response.status}), so it was not created.`,
      'Nothing to do: the next run checks again.',
    );
  }
  const users = ((response.body as { value?: GraphUser[] } | undefined)?.value ?? []).map((u) => ({ ...u, id: u.id.toLowerCase() }));
  if (users.length === 0) return undefined;
  const contactId = c.subject.id.toLowerCase();
  const ours = users.filter((u) => serviceAccountContactOf(u, markAttribute) === contactId);
  const other = users.find((u) => !ours.includes(u));
  if (other) return upnTaken(c.subject.id, String(c.after?.userPrincipalName), other);
  return ours[0]!.id;
}

export async function findServiceAccounts(graph: GraphApi, changes: readonly Change[], markAttribute: string): Promise<Map<string, string | ReconcilerError>> {
  const out = new Map<string, string | ReconcilerError>();
  if (changes.length === 0) return out;
  const responses = await graph.sendMany(changes.map((c) => ({ method: 'GET' as const, url: lookupUrl(c) })));
  changes.forEach((c, i) => {
    const found = judge(c, responses[i]!, markAttribute);
    if (found !== undefined) out.set(c.id, found);
  });
  return out;
}

export const createServiceAccount: TechnicianChangeSpec = {
  kind: 'user.create',
  label: 'Create service account',
  runsAfter: [],
  removal: false,
  toRequest: (c) => ({
    method: 'POST',
    url: '/users',
    body: { ...(c.after ?? {}), passwordProfile: { forceChangePasswordNextSignIn: true, password: generatePassword() } },
  }),
  findExisting: (changes, { graph }, settings) => findServiceAccounts(graph, changes, markAttributeOf(settings)),
  createdIdOf: (_c, response) => {
    const id = (response.body as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id.toLowerCase() : undefined;
  },
  effect: (model, c) => {
    const a = c.after ?? {};
    const id = stableUserId(String(a.userPrincipalName));
    const user: GraphUser = {
      id,
      displayName: (a.displayName as string | undefined) ?? null,
      givenName: (a.givenName as string | undefined) ?? null,
      surname: (a.surname as string | undefined) ?? null,
      mail: null,
      otherMails: (a.otherMails as string[] | undefined) ?? [],
      userPrincipalName: String(a.userPrincipalName),
      userType: 'Member',
      creationType: null,
      accountEnabled: true,
      usageLocation: (a.usageLocation as string | undefined) ?? null,
      assignedLicenses: [],
      licenseAssignmentStates: [],
      mailNickname: String(a.mailNickname),
      companyName: (a.companyName as string | undefined) ?? null,
      department: (a.department as string | undefined) ?? null,
      officeLocation: (a.officeLocation as string | undefined) ?? null,
      onPremisesExtensionAttributes: { ...emptyAttributes(), ...((a.onPremisesExtensionAttributes as Record<string, string> | undefined) ?? {}) },
    };
    if (model.users.some((u) => u.id === id)) throw new Error(`model: duplicate user ${id}`);
    return { model: { ...model, users: [...model.users, user] }, createdId: id };
  },
};

function emptyAttributes(): Record<string, string | null> {
  return Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null]));
}

function stableUserId(upn: string): string {
  return stableId('user', upn.toLowerCase());
}

