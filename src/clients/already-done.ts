/**
 * Refusals that mean "what you asked for is already so". A desired-state apply treats them as
 * success: the plan was made from an observation that is a little older than the service.
 *
 * - Graph, add a member (POST /groups/{g}/members/$ref): 400 Request_BadRequest "One or more added
 *   object references already exist for the following modified properties: 'members'."
 *   (learn.microsoft.com/graph/api/group-post-members).
 * - Graph, remove a member (DELETE /groups/{g}/members/{u}/$ref): 404 Request_ResourceNotFound about
 *   the member, or 400 "One or more removed object references do not exist …"
 *   (learn.microsoft.com/graph/api/group-post-members: "Treat both
 *   as already converged"). A 404 about the group itself is not "done": the group is missing.
 * - Dataverse, DELETE of a row: 404 0x80040217 (ObjectDoesNotExist): the row is already gone.
 */
import { pathOf, serviceErrorCode, serviceErrorMessage } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

const ADD_MEMBER = /^\/?groups\/([^/]+)\/members\/\$ref$/i;
const REMOVE_MEMBER = /^\/?groups\/([^/]+)\/members\/([^/]+)\/\$ref$/i;

export function isAlreadyDone(request: ServiceRequest, response: ServiceResponse): boolean {
  const code = serviceErrorCode(response.body) ?? '';
  const message = serviceErrorMessage(response.body);
  const path = pathOf(request);
  if (request.method === 'POST' && ADD_MEMBER.test(path)) {
    return response.status === 400 && code === 'Request_BadRequest' && /already exist/i.test(message) && /'members'/i.test(message);
  }
  const remove = request.method === 'DELETE' ? REMOVE_MEMBER.exec(path) : null;
  if (remove) {
    const groupId = decodeURIComponent(remove[1]!).toLowerCase();
    if (response.status === 404 && code === 'Request_ResourceNotFound') return !message.toLowerCase().includes(`'${groupId}'`);
    return response.status === 400 && /removed object references do not exist/i.test(message);
  }
  if (request.method === 'DELETE' && code === '0x80040217') return response.status === 404;
  return false;
}
