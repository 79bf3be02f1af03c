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

export const dataverseHandler: ServiceHandler = async (request, ctx): Promise<SimResponse> => {
  const dx = dvContext(request, ctx);
  try {
    if (request.path === '$batch') return await handleBatch(request, ctx, dx);
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
