/**
 * $filter tokenizer and parser (webapi/query/filter-rows.md): comparison operators eq ne gt ge lt le,
 * logical and/or/not with parentheses, literals null/true/false/numbers/GUIDs (unquoted)/dates
 * (unquoted)/strings in single quotes with '' escaping, the string functions contains/startswith/
 * endswith, and the query functions Microsoft.Dynamics.CRM.In / NotIn.
 */
import { CODES, badRequest } from './errors.js';

export type Literal =
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  | { type: 'number'; value: number; text: string }
  | { type: 'guid'; value: string }
  | { type: 'date'; value: string }
  | { type: 'string'; value: string };

export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'cmp'; op: CmpOp; prop: string; value: Literal }
  | { kind: 'fn'; name: 'contains' | 'startswith' | 'endswith'; prop: string; value: string }
  | { kind: 'in'; negate: boolean; prop: string; values: string[] };

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: string }
  | { t: 'guid'; v: string }
  | { t: 'date'; v: string }
  | { t: 'id'; v: string }
  | { t: 'punct'; v: string };

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-zA-Z_])/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?(?![0-9a-zA-Z_])/;
const NUM_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![0-9a-zA-Z_])/;
const ID_RE = /^[A-Za-z_][A-Za-z0-9_.]*/;

export function syntaxError(message: string): Error {
  return badRequest(CODES.propertyNotFound, message);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw syntaxError(`There is an unterminated string literal in the filter expression '${text}'.`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ t: 'str', v: value });
      continue;
    }
    if ('(),[]='.includes(ch)) {
      tokens.push({ t: 'punct', v: ch });
      i++;
      continue;
    }
    const rest = text.slice(i);
    const m = GUID_RE.exec(rest) ?? null;
    if (m) {
      tokens.push({ t: 'guid', v: m[0].toLowerCase() });
      i += m[0].length;
      continue;
    }
    const d = DATE_RE.exec(rest);
    if (d) {
      tokens.push({ t: 'date', v: d[0] });
      i += d[0].length;
      continue;
    }
    const n = NUM_RE.exec(rest);
    if (n) {
      tokens.push({ t: 'num', v: n[0] });
      i += n[0].length;
      continue;
    }
    const id = ID_RE.exec(rest);
    if (id) {
      tokens.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw syntaxError(`Syntax error: character '${ch}' is not valid at position ${i} in '${text}'.`);
  }
  return tokens;
}

const CMP_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const MIRROR: Record<CmpOp, CmpOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string): boolean => {
    const t = peek();
    return t?.t === 'id' && t.v === w;
  };
  const expectPunct = (v: string): void => {
    const t = tokens[pos++];
    if (t?.t !== 'punct' || t.v !== v) throw syntaxError(`Syntax error: '${v}' expected in '${text}'.`);
  };
  const stringArg = (): string => {
    const t = tokens[pos++];
    if (t?.t !== 'str') throw syntaxError(`Syntax error: a string literal was expected in '${text}'.`);
    return t.v;
  };
  const propArg = (): string => {
    const t = tokens[pos++];
    if (t?.t !== 'id') throw syntaxError(`Syntax error: a property name was expected in '${text}'.`);
    return t.v;
  };

  const literal = (t: Token): Literal | undefined => {
    if (t.t === 'str') return { type: 'string', value: t.v };
    if (t.t === 'guid') return { type: 'guid', value: t.v };
    if (t.t === 'date') return { type: 'date', value: t.v };
    if (t.t === 'num') return { type: 'number', value: Number(t.v.replace(/[mMdDfFlL]$/, '')), text: t.v };
    if (t.t === 'id' && t.v === 'null') return { type: 'null' };
    if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) return { type: 'bool', value: t.v === 'true' };
    return undefined;
  };

  const call = (name: string): FilterNode => {
    expectPunct('(');
    if (name === 'contains' || name === 'startswith' || name === 'endswith') {
      const prop = propArg();
      expectPunct(',');
      const value = stringArg();
      expectPunct(')');
      return { kind: 'fn', name, prop, value };
    }
    if (name === 'Microsoft.Dynamics.CRM.In' || name === 'Microsoft.Dynamics.CRM.NotIn') {
      const args: Record<string, string | string[]> = {};
      for (;;) {
        const key = propArg();
        expectPunct('=');
        if (peek()?.t === 'punct' && peek()?.v === '[') {
          pos++;
          const values: string[] = [];
          while (!(peek()?.t === 'punct' && peek()?.v === ']')) {
            values.push(stringArg());
            if (peek()?.t === 'punct' && peek()?.v === ',') pos++;
          }
          pos++;
          args[key] = values;
        } else args[key] = stringArg();
        if (peek()?.t === 'punct' && peek()?.v === ',') {
          pos++;
          continue;
        }
        break;
      }
      expectPunct(')');
      const prop = args.PropertyName;
      const values = args.PropertyValues;
      if (typeof prop !== 'string' || !Array.isArray(values)) throw syntaxError(`${name} needs PropertyName='…' and PropertyValues=['…'].`);
      return { kind: 'in', negate: name.endsWith('NotIn'), prop, values };
    }
    throw syntaxError(`An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
  };

  const primary = (): FilterNode => {
    const t = peek();
    if (!t) throw syntaxError(`Syntax error: expression expected at the end of '${text}'.`);
    if (t.t === 'punct' && t.v === '(') {
      pos++;
      const e = orExpr();
      expectPunct(')');
      return e;
    }
    if (t.t === 'id' && tokens[pos + 1]?.t === 'punct' && tokens[pos + 1]?.v === '(') {
      pos++;
      return call(t.v);
    }
    // comparison: operand op operand, with a property on one side
    pos++;
    const opTok = tokens[pos++];
    if (opTok?.t !== 'id' || !CMP_OPS.has(opTok.v)) throw syntaxError(`Syntax error: a comparison operator was expected after '${t.v}' in '${text}'.`);
    const rightTok = tokens[pos++];
    if (!rightTok) throw syntaxError(`Syntax error: an operand was expected after '${opTok.v}' in '${text}'.`);
    const op = opTok.v as CmpOp;
    const leftLit = literal(t);
    const rightLit = literal(rightTok);
    if (!leftLit && t.t === 'id' && rightLit) return { kind: 'cmp', op, prop: t.v, value: rightLit };
    if (leftLit && !rightLit && rightTok.t === 'id') return { kind: 'cmp', op: MIRROR[op], prop: rightTok.v, value: leftLit };
    throw syntaxError(`The simulator supports comparisons between a property and a literal only ('${text}').`);
  };

  const unary = (): FilterNode => {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', expr: unary() };
    }
    return primary();
  };
  const andExpr = (): FilterNode => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  const tree = orExpr();
  if (pos < tokens.length) throw syntaxError(`Syntax error at position ${pos} in '${text}'.`);
  return tree;
}
