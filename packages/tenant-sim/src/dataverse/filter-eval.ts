/**
 * Compiles a parsed $filter against an entity's columns into a row predicate. Property names and
 * operand types are checked up front, as Dataverse's OData parser does (unknown property → 400
 * 0x80060888; a quoted GUID or a string compared with a number → 400 "incompatible types").
 * String comparisons are case-insensitive (filter-rows.md). A comparison with a null column value is
 * false for every operator except `eq null` / `ne null`: FetchXML's "ne" is SQL `<>`, which leaves
 * out nulls (stricter reading where the page is silent).
 */
import type { Row } from '../dataverse-store.js';
import { propertyNotFound } from './errors.js';
import { syntaxError, type CmpOp, type FilterNode, type Literal } from './filter-parse.js';
import type { Column, EntityDef } from './schema.js';

export type Predicate = (row: Row) => boolean;

const EDM: Record<Column['type'], string> = {
  String: 'Edm.String',
  Memo: 'Edm.String',
  Integer: 'Edm.Int32',
  Boolean: 'Edm.Boolean',
  Money: 'Edm.Decimal',
  Decimal: 'Edm.Decimal',
  Double: 'Edm.Double',
  Picklist: 'Edm.Int32',
  State: 'Edm.Int32',
  Status: 'Edm.Int32',
  DateTime: 'Edm.DateTimeOffset',
  Lookup: 'Edm.Guid',
  Uniqueidentifier: 'Edm.Guid',
};
const LIT_EDM: Record<Literal['type'], string> = {
  null: 'null',
  bool: 'Edm.Boolean',
  number: 'Edm.Int32',
  guid: 'Edm.Guid',
  date: 'Edm.DateTimeOffset',
  string: 'Edm.String',
};
const OP_KIND: Record<CmpOp, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

type Comparable = string | number | boolean;

// One function per operator, chosen when the filter is compiled (no per-row dispatch on the operator).
const COMPARE: Record<CmpOp, (v: Comparable, lit: Comparable) => boolean> = {
  eq: (v, lit) => v === lit,
  ne: (v, lit) => v !== lit,
  gt: (v, lit) => v > lit,
  ge: (v, lit) => v >= lit,
  lt: (v, lit) => v < lit,
  le: (v, lit) => v <= lit,
};

export function columnOf(entity: EntityDef, name: string): Column {
  const c = entity.columns.get(name);
  if (!c) throw propertyNotFound(name, entity.logicalName);
  return c;
}

const lowerString = (value: unknown): Comparable => String(value).toLowerCase();
const toNumber = (value: unknown): Comparable => Number(value);

/**
 * Per column type, the comparable form of a stored value: lower-cased strings and GUIDs, epoch ms for
 * dates. A table rather than a switch: the hot per-row paths stay free of string dispatch (Node
 * 22.23's optimiser was seen to fall through a string `switch` inside a filter closure after many
 * rows, so per-row code here dispatches through tables chosen at compile time).
 */
const NORMALISE: Record<Column['type'], (value: unknown) => Comparable> = {
  String: lowerString,
  Memo: lowerString,
  Lookup: lowerString,
  Uniqueidentifier: lowerString,
  DateTime: (value) => Date.parse(String(value)),
  Boolean: (value) => Boolean(value),
  Integer: toNumber,
  Money: toNumber,
  Decimal: toNumber,
  Double: toNumber,
  Picklist: toNumber,
  State: toNumber,
  Status: toNumber,
};

/** The comparable form of a stored value (null for null/missing). */
export function comparable(column: Column, value: unknown): Comparable | null {
  if (value === null || value === undefined) return null;
  return NORMALISE[column.type](value);
}

function literalValue(column: Column, lit: Literal, op: string): Comparable | null {
  if (lit.type === 'null') return null;
  const kind = EDM[column.type];
  const ok =
    (lit.type === 'string' && kind === 'Edm.String') ||
    (lit.type === 'guid' && kind === 'Edm.Guid') ||
    (lit.type === 'bool' && kind === 'Edm.Boolean') ||
    (lit.type === 'date' && kind === 'Edm.DateTimeOffset') ||
    (lit.type === 'number' && ['Edm.Int32', 'Edm.Decimal', 'Edm.Double'].includes(kind));
  if (!ok) {
    throw syntaxError(`A binary operator with incompatible types was detected. Found operand types '${kind}' and '${LIT_EDM[lit.type]}' for operator kind '${op}'.`);
  }
  switch (lit.type) {
    case 'string':
    case 'guid':
      return lit.value.toLowerCase();
    case 'date':
      return Date.parse(lit.value);
    case 'bool':
      return lit.value;
    case 'number':
      return lit.value;
  }
}

function fromText(column: Column, text: string): Comparable {
  const kind = EDM[column.type];
  if (kind === 'Edm.String' || kind === 'Edm.Guid') return text.toLowerCase();
  if (kind === 'Edm.Boolean') return text === 'true' || text === '1';
  if (kind === 'Edm.DateTimeOffset') return Date.parse(text);
  return Number(text);
}

export function compile(node: FilterNode, entity: EntityDef): Predicate {
  switch (node.kind) {
    case 'and': {
      const l = compile(node.left, entity);
      const r = compile(node.right, entity);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compile(node.left, entity);
      const r = compile(node.right, entity);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const e = compile(node.expr, entity);
      return (row) => !e(row);
    }
    case 'cmp': {
      const column = columnOf(entity, node.prop);
      const lit = literalValue(column, node.value, OP_KIND[node.op]);
      const name = column.name;
      if (lit === null) {
        if (node.op === 'eq') return (row) => row[name] === null || row[name] === undefined;
        if (node.op === 'ne') return (row) => row[name] !== null && row[name] !== undefined;
        return () => false;
      }
      const test = COMPARE[node.op];
      return (row) => {
        const v = comparable(column, row[name]);
        return v !== null && test(v, lit);
      };
    }
    case 'fn': {
      const column = columnOf(entity, node.prop);
      if (column.type !== 'String' && column.type !== 'Memo') {
        throw syntaxError(`No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${node.name}(Edm.String Nullable=true, Edm.String Nullable=true).`);
      }
      const needle = node.value.toLowerCase();
      const name = column.name;
      const test =
        node.name === 'contains' ? (s: string) => s.includes(needle) : node.name === 'startswith' ? (s: string) => s.startsWith(needle) : (s: string) => s.endsWith(needle);
      return (row) => {
        const v = row[name];
        return v !== null && v !== undefined && test(String(v).toLowerCase());
      };
    }
    case 'in': {
      const column = columnOf(entity, node.prop);
      const values = new Set(node.values.map((v) => fromText(column, v)));
      const name = column.name;
      const negate = node.negate;
      return (row) => {
        const v = comparable(column, row[name]);
        if (v === null) return false;
        return values.has(v) !== negate;
      };
    }
  }
}
