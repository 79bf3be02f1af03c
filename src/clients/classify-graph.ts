/**
 * Microsoft Graph 4xx answers → errors. Sources: learn.microsoft.com/graph/api/invitation-post
 * (invitations), learn.microsoft.com/graph/api/user-assignlicense
 * (assignLicense refusals), learn.microsoft.com/graph/api/group-post-members (group members,
 * replication lag), learn.microsoft.com/graph/permissions-reference (least-privilege permissions).
 */
import { ConfigurationError, ContactError, TransientError, type ReconcilerError } from '../model/errors.js';
import { causeOf, describeRequest, pathOf } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

/** The least-privileged application permission a request needs (learn.microsoft.com/graph/permissions-reference). */
export function requiredGraphPermission(request: ServiceRequest): string {
  const path = pathOf(request).replace(/^\//, '');
  if (/^invitations$/i.test(path)) return 'User.Invite.All';
  if (/assignLicense$/i.test(path)) return 'LicenseAssignment.ReadWrite.All';
  if (/^subscribedSkus/i.test(path)) return 'LicenseAssignment.Read.All';
  if (/^groups\/[^/]+\/members/i.test(path)) return request.method === 'GET' ? 'GroupMember.Read.All' : 'GroupMember.ReadWrite.All';
  if (/^groups/i.test(path)) return request.method === 'GET' ? 'GroupMember.Read.All' : 'GroupMember.ReadWrite.All';
  if (/^domains/i.test(path)) return 'Domain.Read.All';
  if (/^users/i.test(path)) return request.method === 'GET' ? 'User.Read.All' : 'User.ReadWrite.All';
  return 'the permission this request needs (see the Graph API page of the request)';
}

const GROUP_PATH = /^\/?groups\/([^/?]+)/i;
const LICENCE = /^\/?users\/[^/]+\/assignLicense$/i;

export function classifyGraph(request: ServiceRequest, response: ServiceResponse): ReconcilerError {
  const cause = causeOf(request, response);
  const { status, code, message } = cause;
  const what = describeRequest(request);
  const path = pathOf(request);

  if (status === 403) {
    const permission = requiredGraphPermission(request);
    return new ConfigurationError(
      'MISSING_PERMISSION',
      `Microsoft Graph refused ${what} (403 ${code ?? ''}): the app lacks ${permission}.`,
      `Grant the application permission ${permission} to the app registration (API permissions → Microsoft Graph → Application), grant admin consent, and run again.`,
      { cause },
    );
  }

  if (status === 400 && LICENCE.test(path)) {
    if (/usage location/i.test(message)) {
      return new ContactError('USAGE_LOCATION_INVALID', `The licence could not be assigned: the user has no valid usage location (${message}).`, "Set the contact's country to one that maps to an ISO 3166 code, or check DEFAULT_USAGE_LOCATION; the next run sets it before the licence.", { cause });
    }
    if (/does not have any available licenses/i.test(message)) {
      return new ContactError('NO_LICENCE_UNITS', `No licence unit is free for this technician (${message}).`, 'Buy more licences of the SKU, or free units by removing them from people who left; the next run assigns it.', { cause });
    }
    if (/valid company license|not.*subscribed|invalid.*sku/i.test(message)) {
      return new ConfigurationError('SKU_NOT_SUBSCRIBED', `The licence SKU is not one this tenant subscribes to (${message}).`, 'Set LICENSE_SKU_ID to a skuId listed by GET /subscribedSkus and restart.', { cause });
    }
    if (/inherited from a group/i.test(message)) {
      return new ContactError('LICENCE_INHERITED', `The licence comes from a group and cannot be removed directly (${message}).`, 'Remove the user from the licensing group, or leave the licence in place.', { cause });
    }
  }

  if (status === 404) {
    const group = GROUP_PATH.exec(path)?.[1];
    // A 404 on a group path names the missing object; when it is the group itself, the setting is wrong.
    if (group && message.toLowerCase().includes(`'${decodeURIComponent(group).toLowerCase()}'`)) {
      return new ConfigurationError('GROUP_NOT_FOUND', `The technician group ${group} does not exist (${what} answered 404).`, 'Set TECHNICIAN_GROUP_ID to the object id of an existing security group and restart.', { cause });
    }
    // A user that was just created may not have replicated yet
    // (learn.microsoft.com/graph/api/group-post-members), or it was deleted by hand.
    return new TransientError('OBJECT_NOT_FOUND_YET', `Microsoft Graph does not know an object of ${what} yet (404 ${code ?? ''}: ${message}).`, 'Nothing to do if the user was just invited: the next run retries. If it lasts, check whether the guest was deleted in Entra.', { cause });
  }

  if (status === 400 && /objects being referenced do not exist/i.test(message)) {
    // Learn group-post-members, note on replication delays: the new object has not reached the
    // replica yet. The client already retried it within the run (replication-policy.ts): wait.
    return new TransientError('OBJECT_NOT_FOUND_YET', `Microsoft Graph has not replicated an object of ${what} yet (400 ${code ?? ''}: ${message}).`, 'Nothing to do: Entra finishes replicating a new guest within seconds to minutes, and the next run continues.', { cause });
  }

  if (status === 400 && /^\/?invitations$/i.test(path)) {
    if (/verified domain/i.test(message)) {
      return new ContactError('EMAIL_IN_TENANT_DOMAIN', `The email is in one of the tenant's own verified domains, so it cannot be invited as a guest (${message}).`, "Use the technician's own (external) email address on the contact, or create them as a member account by hand.", { cause });
    }
    if (/blocked from signing in/i.test(message)) {
      return new ContactError('GUEST_BLOCKED', `The guest already exists but is blocked from signing in (${message}).`, 'Unblock the account in Entra (or turn off the setup flag) and the next run goes on.', { cause });
    }
    if (/as a member/i.test(message)) {
      return new ContactError('EMAIL_BELONGS_TO_MEMBER', `The email belongs to a member account of the tenant (${message}).`, "Use the technician's external email address on the contact.", { cause });
    }
    if (/not a valid email/i.test(message)) {
      return new ContactError('EMAIL_INVALID', `Microsoft Graph refused the email address (${message}).`, "Correct the contact's email address.", { cause });
    }
  }

  if (status === 400 && request.method === 'POST' && /^\/?users$/i.test(path)) {
    // Learn user-post-users; the answers to a name already taken are the ones the service was seen
    // to send (packages/tenant-sim/docs/simulator-graph.md "POST /users"). The next run's look-up
    // before creating finds the holder and says whose it is.
    if (/same value for property (userPrincipalName|proxyAddresses)/i.test(message)) {
      return new ContactError('SERVICE_ACCOUNT_UPN_TAKEN', `The service account could not be created: another Entra object already has its user principal name or mail nickname (${message}).`, 'Nothing to do if the product created it a moment ago (the next run adopts it); otherwise find who owns that name in Entra.', { cause });
    }
  }

  return new ContactError('GRAPH_REJECTED', `Microsoft Graph refused ${what} (${status}${code ? ` ${code}` : ''}: ${message || 'no message'}).`, 'Check the contact against the message; the next run retries after the contact changes.', { cause });
}
