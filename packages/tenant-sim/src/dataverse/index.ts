/**
 * The Dataverse Web API v9.2 protocol of the tenant simulator (docs/simulator-dataverse.md).
 * The core has verified the token and its audience; this routes the request below
 * /api/data/v9.2/ to reads, writes or $batch and turns DataverseErrors into Dataverse's error shape.
 */
import type { ServiceHandler, SimResponse } from '../types.js';
import { handleBatch } from './batch.js';
import { dvContext } from './context.js';
import { CODES, DataverseError, errorResponse } from './errors.js';
import { parsePath } from './options.js';
import { getCollection, getRow } from './read.js';
import { createRow, deleteRow, methodNotAllowed, patchRow } from './write.js';
import { EXECUTE_WORKFLOW, executeWorkflow, isWhoAmI, whoAmI } from './actions.js';
import { associate, disassociate, listRelated, navRelationship } from './relationships.js';
import type { DvContext } from './context.js';
import type { SimRequest } from '../types.js';
import { projectWrite } from '../project-writes.js';
import { metadataRequest } from './metadata.js';

/** `<set>(<key>)/<segment>[(<key>)][/$ref]`: a navigation property or a bound action of one row. */
const NESTED = /^([A-Za-z0-9_]+\([^)]*\))\/([A-Za-z0-9_.]+)(?:\(([^)]*)\))?(\/\$ref)?$/;

/**
 * Requests below a row, and the unbound WhoAmI: N:N associations (relationships.ts) and
 * ExecuteWorkflow (actions.ts). Null for anything else, which parsePath answers as before.
 */
function belowRow(request: SimRequest, dx: DvContext): SimResponse | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(request.path);
  } catch {
    return null;
  }
  if (isWhoAmI(decoded)) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method, request.path);
    return whoAmI(dx);
  }
  const m = NESTED.exec(decoded);
  if (!m) return null;
  const [, row, segment, navKey, ref] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const { entity, id } = parsePath(row);
  if (!id) return null;
  if (segment === EXECUTE_WORKFLOW && entity.set === 'workflows' && navKey === undefined && !ref) {
    if (request.method !== 'POST') throw methodNotAllowed(request.method, request.path);
    return executeWorkflow(id, request.body, dx);
  }
  const nav = navRelationship(entity, segment);
  if (!nav) return null;
  const otherSet = nav.rel.sides[nav.self === 0 ? 1 : 0].set;
  const other = navKey === undefined ? null : parsePath(`${otherSet}(${navKey})`).id;
  if (request.method === 'GET' && !ref && other === null) return listRelated(entity, id, segment, request.path, request.rawQuery, request.headers, dx);
  if (request.method === 'POST' && ref && other === null) return associate(entity, id, segment, request.body, dx);
  if (request.method === 'DELETE' && ref) return disassociate(entity, id, segment, other, request.rawQuery, dx);
  throw methodNotAllowed(request.method, request.path);
}

export const dataverseHandler: ServiceHandler = async (request, ctx): Promise<SimResponse> => {
  const dx = dvContext(request, ctx);
  try {
    if (request.path === '$batch') return await handleBatch(request, ctx, dx);
    // Seed 002's tables: the WBS write rule, the work order key, the booking cascade (project-writes.ts).
    // Table definitions and RetrieveUserPrivileges (metadata.ts).
    const metadata = metadataRequest(request, dx);
    if (metadata) return metadata;
    const project = projectWrite(request, dx);
    if (project) return project;
    const below = belowRow(request, dx);
    if (below) return below;
    let target;
    try {
      target = parsePath(request.path);
    } catch (err) {
      if (err instanceof URIError) throw new DataverseError(400, CODES.invalidArgument, `The path '${request.path}' is not correctly percent-encoded.`);
      throw err;
    }
    const { id } = target;
    switch (request.method) {
      case 'GET':
        return id ? getRow(target, id, request.rawQuery, request.headers, dx) : getCollection(target, request.rawQuery, request.headers, dx);
      case 'POST':
        if (id) throw methodNotAllowed(request.method, request.path);
        return createRow(target, request.rawQuery, request.headers, request.body, request.inner, dx);
      case 'PATCH':
        if (!id) throw methodNotAllowed(request.method, request.path);
        return patchRow(target, id, request.rawQuery, request.headers, request.body, request.inner, dx);
      case 'DELETE':
        if (!id) throw methodNotAllowed(request.method, request.path);
        return deleteRow(target, id, request.headers, dx);
      default:
        throw methodNotAllowed(request.method, request.path);
    }
  } catch (err) {
    if (err instanceof DataverseError) return errorResponse(err);
    throw err;
  }
};
