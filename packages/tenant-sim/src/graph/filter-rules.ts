/**
 * Which $filter clauses Graph accepts on users, and which need advanced query parameters
 * (aad-advanced-queries.md "Support for filter by properties", includes/filter-directory-objects.md):
 *   - eq and in work by default on the properties of user-schema.ts ("in is supported by default
 *     whenever eq is"); any() over otherMails/proxyAddresses/identities/assignedLicenses too;
 *   - ne, not, endsWith (mail, otherMails, userPrincipalName, proxyAddresses only) and `eq null`
 *     need ConsistencyLevel: eventual and $count=true;
 *   - anything else (ge/le, all(), $count in a filter, unknown properties) is refused.
 * It also rewrites property names to their canonical case.
 */
import { badRequest, unsupportedQuery } from './errors.js';
import type { FilterNode, Literal, Path } from './filter.js';
import { knownFilterProp, type FilterKind } from './user-schema.js';

/** Observed limit in default mode (microsoft-graph-docs-contrib issue #1238): 15 or-children. */
export const MAX_OR_CHILDREN_DEFAULT = 15;

export interface FilterCheck {
  node: FilterNode;
  /** Operators that need advanced query parameters, in order of appearance. */
  advanced: string[];
  /** The largest number of children of one or-expression or in-list. */
  maxOrChildren: number;
}

const unsupportedClause = (prop: string): Error =>
  unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${prop}' of resource 'User'.`);

const OP_KIND: Record<string, string> = { eq: 'Equal', ne: 'NotEqual', in: 'In' };

function edmType(l: Literal): string {
  return { string: 'Edm.String', bool: 'Edm.Boolean', null: 'null', number: 'Edm.Int32', guid: 'Edm.Guid' }[l.t];
}

function typeCheck(kind: 'string' | 'bool' | 'guid', l: Literal, op: string): void {
  const want = { string: 'string', bool: 'bool', guid: 'guid' }[kind];
  if (l.t === want || l.t === 'null') return;
  const left = { string: 'Edm.String', bool: 'Edm.Boolean', guid: 'Edm.Guid' }[kind];
  throw badRequest(
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${edmType(l)}' for operator kind '${OP_KIND[op] ?? op}'.`,
    'BadRequest',
  );
}

export function checkFilter(root: FilterNode): FilterCheck {
  const advanced: string[] = [];
  let maxOrChildren = 0;

  const topProp = (path: Path): { name: string; kind: FilterKind; startsWith: boolean; endsWith: boolean } => {
    const found = knownFilterProp(path[0]!);
    if (!found || path.length !== 1) throw unsupportedClause(path.join('/'));
    return { name: found.name, kind: found.spec.kind, startsWith: !!found.spec.startsWith, endsWith: !!found.spec.endsWith };
  };

  const scalar = (node: FilterNode, lambdaVar: string | null, coll: FilterKind | null): FilterNode => {
    switch (node.k) {
      case 'or':
      case 'and': {
        const items = node.items.map((n) => scalar(n, lambdaVar, coll));
        if (node.k === 'or') maxOrChildren = Math.max(maxOrChildren, items.reduce((s, n) => s + (n.k === 'in' ? n.values.length : 1), 0));
        return { k: node.k, items };
      }
      case 'not':
        advanced.push('not');
        return { k: 'not', e: scalar(node.e, lambdaVar, coll) };
      case 'lambda': {
        if (lambdaVar !== null) throw unsupportedClause(node.coll);
        const p = topProp([node.coll]);
        if (p.kind === 'string' || p.kind === 'bool' || node.fn === 'all') throw unsupportedClause(p.name);
        const body = scalar(node.body, node.v, p.kind);
        if (p.kind === 'identities') requireIdentityPair(body, p.name);
        return { k: 'lambda', fn: node.fn, coll: p.name, v: node.v, body };
      }
      case 'cmp':
      case 'in':
      case 'fn': {
        const { path, kind, name, sw, ew } = resolve(node.path, lambdaVar, coll);
        const op = node.k === 'cmp' ? node.op : node.k === 'in' ? 'in' : node.fn;
        if (op === 'ge' || op === 'le' || op === 'gt' || op === 'lt') throw unsupportedClause(name);
        if (op === 'startswith' && !sw) throw unsupportedClause(name);
        if (op === 'endswith') {
          if (!ew) throw unsupportedClause(name);
          advanced.push('endsWith');
        }
        if (op === 'ne') advanced.push('ne');
        if (node.k === 'in') {
          for (const v of node.values) {
            typeCheck(kind, v, 'in');
            if (v.t === 'null') throw unsupportedClause(name);
          }
          maxOrChildren = Math.max(maxOrChildren, node.values.length);
          return { k: 'in', path, values: node.values };
        }
        typeCheck(kind, node.value, op);
        if (node.value.t === 'null') {
          if (node.k === 'fn') throw unsupportedClause(name);
          if (op === 'eq') advanced.push('eq null');
        }
        return node.k === 'cmp' ? { k: 'cmp', op: node.op, path, value: node.value } : { k: 'fn', fn: node.fn, path, value: node.value };
      }
    }
  };

  /** Resolves an operand: a top-level scalar property, or the range variable (or its sub-property) in a lambda. */
  const resolve = (path: Path, lambdaVar: string | null, coll: FilterKind | null) => {
    if (lambdaVar === null) {
      const p = topProp(path);
      if (p.kind !== 'string' && p.kind !== 'bool') throw unsupportedClause(p.name);
      return { path: [p.name], kind: p.kind === 'bool' ? ('bool' as const) : ('string' as const), name: p.name, sw: p.startsWith, ew: p.endsWith };
    }
    if (path[0] !== lambdaVar) throw unsupportedClause(path.join('/'));
    if (coll === 'stringCollection' && path.length === 1) return { path, kind: 'string' as const, name: lambdaVar, sw: true, ew: true };
    if (coll === 'identities' && path.length === 2 && ['issuer', 'issuerAssignedId', 'signInType'].includes(path[1]!)) {
      return { path, kind: 'string' as const, name: path.join('/'), sw: false, ew: false };
    }
    if (coll === 'licenses' && path.length === 2 && path[1] === 'skuId') return { path, kind: 'guid' as const, name: path.join('/'), sw: false, ew: false };
    throw unsupportedClause(path.join('/'));
  };

  const node = scalar(root, null, null);
  return { node, advanced, maxOrChildren };
}

/** identities/any needs both issuer and issuerAssignedId (user.md, learn.microsoft.com/graph/aad-advanced-queries). */
function requireIdentityPair(body: FilterNode, prop: string): void {
  const parts = body.k === 'and' ? body.items : [body];
  const names = new Set(parts.map((p) => (p.k === 'cmp' && p.op === 'eq' ? p.path[1] : '')));
  if (!names.has('issuer') || !names.has('issuerAssignedId')) {
    throw unsupportedQuery(`Filter on property '${prop}' requires both 'issuer' and 'issuerAssignedId' with the 'eq' operator.`);
  }
}

export function advancedOperatorError(op: string): Error {
  return unsupportedQuery(
    `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

export function tooManyOrChildren(n: number): Error {
  return unsupportedQuery(`Too many child clauses specified in search filter expression containing 'OR' operators: ${n}. Max allowed: ${MAX_OR_CHILDREN_DEFAULT}`);
}
