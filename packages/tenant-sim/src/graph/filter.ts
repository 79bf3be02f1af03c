/**
 * The $filter parser for directory objects (filter-query-parameter.md, aad-advanced-queries.md,
 * query-parameters.md "Escaping single quotes"). It produces a small AST that filter-rules.ts
 * validates (which operators work by default, which need advanced query parameters) and
 * filter-eval.ts evaluates.
 *
 * Grammar: or / and / not, parentheses, `prop eq|ne|ge|le|gt|lt literal`, `prop in (l1, l2)`,
 * `startsWith(prop,'x')`, `endsWith(prop,'x')`, lambdas `coll/any(v: <expr over v or v/sub>)`
 * and `coll/all(...)`. Literals: 'string' ('' is a quote), true, false, null, numbers, and
 * unquoted GUIDs.
 */
import { badRequest } from './errors.js';

export type Literal =
  | { t: 'string'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'number'; v: number }
  | { t: 'guid'; v: string };

/** An operand path: ['mail'], or inside a lambda ['x'] / ['x','issuer'] (the first part is the variable). */
export type Path = string[];

export type FilterNode =
  | { k: 'or' | 'and'; items: FilterNode[] }
  | { k: 'not'; e: FilterNode }
  | { k: 'cmp'; op: 'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt'; path: Path; value: Literal }
  | { k: 'in'; path: Path; values: Literal[] }
  | { k: 'fn'; fn: 'startswith' | 'endswith'; path: Path; value: Literal }
  | { k: 'lambda'; fn: 'any' | 'all'; coll: string; v: string; body: FilterNode };

type Tok = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'sym'; v: string };

const invalid = (why: string): Error => badRequest(`Invalid filter clause: ${why}`, 'BadRequest');

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if ('(),:/'.includes(c)) {
      out.push({ t: 'sym', v: c });
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw invalid('an unterminated string literal.');
        if (s[i] === "'") {
          if (s[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += s[i];
        i++;
      }
      out.push({ t: 'str', v });
    } else {
      const m = /^[A-Za-z0-9_$.@+-]+/.exec(s.slice(i));
      if (!m) throw invalid(`unexpected character '${c}' at position ${i}.`);
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const COMPARISONS = new Set(['eq', 'ne', 'ge', 'le', 'gt', 'lt']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): FilterNode {
    if (this.toks.length === 0) throw invalid('the expression is empty.');
    const e = this.or();
    if (this.i < this.toks.length) throw invalid(`unexpected '${this.toks[this.i]!.v}'.`);
    return e;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v.toLowerCase() === v;
  }
  private isSym(v: string): boolean {
    const t = this.peek();
    return t?.t === 'sym' && t.v === v;
  }
  private expectSym(v: string): void {
    if (!this.isSym(v)) throw invalid(`expected '${v}'${this.peek() ? ` but found '${this.peek()!.v}'` : ' at the end'}.`);
    this.i++;
  }

  private or(): FilterNode {
    const items = [this.and()];
    while (this.isWord('or')) {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { k: 'or', items };
  }

  private and(): FilterNode {
    const items = [this.unary()];
    while (this.isWord('and')) {
      this.i++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { k: 'and', items };
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      this.i++;
      return { k: 'not', e: this.unary() };
    }
    if (this.isSym('(')) {
      this.i++;
      const e = this.or();
      this.expectSym(')');
      return e;
    }
    const t = this.peek();
    if (t?.t !== 'word') throw invalid(`expected a property or function${t ? ` but found '${t.v}'` : ''}.`);
    const lower = t.v.toLowerCase();
    if ((lower === 'startswith' || lower === 'endswith') && this.toks[this.i + 1]?.v === '(') {
      this.i += 2;
      const path = this.path();
      this.expectSym(',');
      const value = this.literal();
      this.expectSym(')');
      return { k: 'fn', fn: lower, path, value };
    }
    const path = this.path();
    if (this.isSym('/')) {
      // coll/any(v: body)
      this.i++;
      const fnTok = this.peek();
      const fn = fnTok?.t === 'word' ? fnTok.v.toLowerCase() : '';
      if (fn !== 'any' && fn !== 'all') throw invalid(`unsupported segment '${fnTok?.v ?? ''}' after '${path.join('/')}'.`);
      if (path.length !== 1) throw invalid('lambda operators apply to a top-level collection property.');
      this.i++;
      this.expectSym('(');
      const vt = this.peek();
      if (vt?.t !== 'word') throw invalid('a lambda needs a range variable.');
      this.i++;
      this.expectSym(':');
      const body = this.or();
      this.expectSym(')');
      return { k: 'lambda', fn, coll: path[0]!, v: vt.v, body };
    }
    const opTok = this.peek();
    const op = opTok?.t === 'word' ? opTok.v.toLowerCase() : '';
    if (op === 'in') {
      this.i++;
      this.expectSym('(');
      const values = [this.literal()];
      while (this.isSym(',')) {
        this.i++;
        values.push(this.literal());
      }
      this.expectSym(')');
      return { k: 'in', path, values };
    }
    if (!COMPARISONS.has(op)) throw invalid(`expected an operator after '${path.join('/')}'${opTok ? ` but found '${opTok.v}'` : ''}.`);
    this.i++;
    return { k: 'cmp', op: op as 'eq', path, value: this.literal() };
  }

  /** A property path: name, or name/sub when the next word is not a lambda function. */
  private path(): Path {
    const t = this.peek();
    if (t?.t !== 'word') throw invalid('expected a property name.');
    this.i++;
    const parts = [t.v];
    while (this.isSym('/')) {
      const next = this.toks[this.i + 1];
      if (next?.t === 'word' && ['any', 'all'].includes(next.v.toLowerCase()) && this.toks[this.i + 2]?.v === '(') break;
      this.i++;
      const seg = this.peek();
      if (seg?.t !== 'word') throw invalid(`expected a property name after '${parts.join('/')}/'.`);
      parts.push(seg.v);
      this.i++;
    }
    return parts;
  }

  private literal(): Literal {
    const t = this.peek();
    if (!t || t.t === 'sym') throw invalid(`expected a literal${t ? ` but found '${t.v}'` : ''}.`);
    this.i++;
    if (t.t === 'str') return { t: 'string', v: t.v };
    const lower = t.v.toLowerCase();
    if (lower === 'true' || lower === 'false') return { t: 'bool', v: lower === 'true' };
    if (lower === 'null') return { t: 'null' };
    if (GUID.test(t.v)) return { t: 'guid', v: lower };
    if (/^-?\d+(\.\d+)?$/.test(t.v)) return { t: 'number', v: Number(t.v) };
    throw invalid(`'${t.v}' is not a valid literal (string literals are enclosed in single quotes).`);
  }
}

export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}
