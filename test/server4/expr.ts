/**
 * A small subset of Ninox script, for function fields and `script/exec`:
 *   literals (numbers, "text", true, false, null, [a, b]); field names (bare or 'quoted'); this; let x := …;
 *   field := … and record.field := … (exec only); + - * / = != < > <= >= and or not; if … then … else … end;
 *   select table [where …]; record(table, id); create table; delete …; record.field; list.field (maps);
 *   count sum avg min max first last text number upper lower length round concat join.
 * Statements are separated by `;`; a block's value is its last statement. Anything else is an error naming the
 * part (a 400 for scripts, `expressionErrors` for function fields).
 */

export interface ExpressionError {
  line: number;
  column: number;
  message: string;
}

export class ExprError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

/** A record of a table (by table name, in the script's module). */
export class RecRef {
  constructor(readonly table: string, readonly id: number) {}
}

export type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'name'; name: string; pos: number }
  | { k: 'this'; pos: number }
  | { k: 'get'; obj: Node; name: string; pos: number }
  | { k: 'call'; name: string; args: Node[]; pos: number }
  | { k: 'un'; op: string; e: Node }
  | { k: 'bin'; op: string; l: Node; r: Node; pos: number }
  | { k: 'array'; items: Node[] }
  | { k: 'select'; table: string; where?: Node; pos: number }
  | { k: 'record'; table: string; id: Node; pos: number }
  | { k: 'create'; table: string; pos: number }
  | { k: 'delete'; e: Node; pos: number }
  | { k: 'if'; c: Node; t: Node; e?: Node }
  | { k: 'let'; name: string; e: Node }
  | { k: 'assign'; target: Node; e: Node; pos: number }
  | { k: 'block'; list: Node[] };

export interface Program {
  root: Node;
  source: string;
}

// ---------------------------------------------------------------- tokens

interface Token {
  t: 'num' | 'str' | 'id' | 'qid' | 'op' | 'eof';
  v: string;
  pos: number;
}

const OPS = [':=', '!=', '<>', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '(', ')', '[', ']', ',', ';', '.'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    const pos = i;
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: num[0], pos }); i += num[0].length; continue; }
    if (c === '"' || c === "'") {
      let text = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) { text += ({ n: '\n', t: '\t' } as Record<string, string>)[src[i + 1]] ?? src[i + 1]; i += 2; }
        else text += src[i++];
      }
      if (i >= src.length) throw new ExprError('unterminated text', pos);
      i++;
      out.push({ t: c === '"' ? 'str' : 'qid', v: text, pos });
      continue;
    }
    const id = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i));
    if (id) { out.push({ t: 'id', v: id[0], pos }); i += id[0].length; continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character ${JSON.stringify(c)}`, pos);
    out.push({ t: 'op', v: op, pos });
    i += op.length;
  }
  out.push({ t: 'eof', v: '', pos: src.length });
  return out;
}

// ---------------------------------------------------------------- parser

const KEYWORDS = new Set(['let', 'var', 'select', 'where', 'and', 'or', 'not', 'true', 'false', 'null', 'if', 'then',
  'else', 'end', 'create', 'delete', 'this', 'record']);
const FUNCTIONS = new Set(['count', 'sum', 'avg', 'min', 'max', 'first', 'last', 'text', 'number', 'upper', 'lower',
  'length', 'round', 'concat', 'join']);
const COMPARE = ['=', '!=', '<>', '<', '>', '<=', '>='];

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i];
  }

  private is(v: string): boolean {
    const t = this.tok;
    return (t.t === 'op' || t.t === 'id') && t.v === v;
  }

  private expect(v: string): Token {
    if (!this.is(v)) throw new ExprError(`expected '${v}' but found ${this.describe()}`, this.tok.pos);
    return this.tokens[this.i++];
  }

  private describe(): string {
    return this.tok.t === 'eof' ? 'the end' : `'${this.tok.v}'`;
  }

  private name(): string {
    const t = this.tok;
    if ((t.t === 'id' && !KEYWORDS.has(t.v)) || t.t === 'qid') { this.i++; return t.v; }
    throw new ExprError(`expected a name but found ${this.describe()}`, t.pos);
  }

  program(): Node {
    const root = this.block(['eof']);
    if (this.tok.t !== 'eof') throw new ExprError(`unexpected ${this.describe()}`, this.tok.pos);
    return root;
  }

  private block(stops: string[]): Node {
    const list: Node[] = [];
    for (;;) {
      while (this.is(';')) this.i++;
      if (this.tok.t === 'eof' || stops.some((s) => this.is(s))) break;
      list.push(this.statement());
      if (!this.is(';')) break;
    }
    return list.length === 1 ? list[0] : { k: 'block', list };
  }

  private statement(): Node {
    if (this.is('let') || this.is('var')) {
      this.i++;
      const name = this.name();
      this.expect(':=');
      return { k: 'let', name, e: this.expr() };
    }
    const target = this.expr();
    if (this.is(':=')) {
      const pos = this.tok.pos;
      this.i++;
      if (target.k !== 'name' && target.k !== 'get') throw new ExprError('only a field can be assigned', pos);
      return { k: 'assign', target, e: this.expr(), pos };
    }
    return target;
  }

  expr(): Node {
    let l = this.and();
    while (this.is('or')) { const pos = this.tok.pos; this.i++; l = { k: 'bin', op: 'or', l, r: this.and(), pos }; }
    return l;
  }

  private and(): Node {
    let l = this.compare();
    while (this.is('and')) { const pos = this.tok.pos; this.i++; l = { k: 'bin', op: 'and', l, r: this.compare(), pos }; }
    return l;
  }

  private compare(): Node {
    const l = this.add();
    const op = COMPARE.find((o) => this.tok.t === 'op' && this.tok.v === o);
    if (!op) return l;
    const pos = this.tok.pos;
    this.i++;
    return { k: 'bin', op: op === '<>' ? '!=' : op, l, r: this.add(), pos };
  }

  private add(): Node {
    let l = this.mul();
    while (this.is('+') || this.is('-')) { const { v: op, pos } = this.tokens[this.i++]; l = { k: 'bin', op, l, r: this.mul(), pos }; }
    return l;
  }

  private mul(): Node {
    let l = this.unary();
    while (this.is('*') || this.is('/')) { const { v: op, pos } = this.tokens[this.i++]; l = { k: 'bin', op, l, r: this.unary(), pos }; }
    return l;
  }

  private unary(): Node {
    if (this.is('-')) { this.i++; return { k: 'un', op: '-', e: this.unary() }; }
    if (this.is('not')) { this.i++; return { k: 'un', op: 'not', e: this.unary() }; }
    let node = this.primary();
    while (this.is('.')) {
      const pos = this.tok.pos;
      this.i++;
      node = { k: 'get', obj: node, name: this.name(), pos };
    }
    return node;
  }

  private primary(): Node {
    const t = this.tok;
    if (t.t === 'num') { this.i++; return { k: 'lit', v: Number(t.v) }; }
    if (t.t === 'str') { this.i++; return { k: 'lit', v: t.v }; }
    if (t.t === 'qid') { this.i++; return { k: 'name', name: t.v, pos: t.pos }; }
    if (this.is('(')) { this.i++; const inner = this.block([')']); this.expect(')'); return inner; }
    if (this.is('[')) {
      this.i++;
      const items: Node[] = [];
      while (!this.is(']')) { items.push(this.expr()); if (!this.is(',')) break; this.i++; }
      this.expect(']');
      return { k: 'array', items };
    }
    if (t.t !== 'id') throw new ExprError(`unexpected ${this.describe()}`, t.pos);
    switch (t.v) {
      case 'true': case 'false': case 'null':
        this.i++;
        return { k: 'lit', v: t.v === 'null' ? null : t.v === 'true' };
      case 'this':
        this.i++;
        return { k: 'this', pos: t.pos };
      case 'select': {
        this.i++;
        const table = this.name();
        if (!this.is('where')) return { k: 'select', table, pos: t.pos };
        this.i++;
        return { k: 'select', table, where: this.expr(), pos: t.pos };
      }
      case 'record': {
        this.i++;
        this.expect('(');
        const table = this.name();
        this.expect(',');
        const id = this.expr();
        this.expect(')');
        return { k: 'record', table, id, pos: t.pos };
      }
      case 'create':
        this.i++;
        return { k: 'create', table: this.name(), pos: t.pos };
      case 'delete':
        this.i++;
        return { k: 'delete', e: this.unary(), pos: t.pos };
      case 'if': {
        this.i++;
        const c = this.expr();
        this.expect('then');
        const then = this.block(['else', 'end']);
        let otherwise: Node | undefined;
        if (this.is('else')) { this.i++; otherwise = this.block(['end']); }
        this.expect('end');
        return { k: 'if', c, t: then, e: otherwise };
      }
      default:
        break;
    }
    if (KEYWORDS.has(t.v)) throw new ExprError(`unexpected '${t.v}'`, t.pos);
    this.i++;
    if (this.is('(')) {
      if (!FUNCTIONS.has(t.v)) throw new ExprError(`unsupported function ${t.v}()`, t.pos);
      this.i++;
      const args: Node[] = [];
      while (!this.is(')')) { args.push(this.expr()); if (!this.is(',')) break; this.i++; }
      this.expect(')');
      return { k: 'call', name: t.v, args, pos: t.pos };
    }
    return { k: 'name', name: t.v, pos: t.pos };
  }
}

export function parse(source: string): Program {
  return { root: new Parser(tokenize(source)).program(), source };
}

function lineColumn(source: string, pos: number): { line: number; column: number } {
  const before = source.slice(0, pos).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Compiles a function field's expression; errors (syntax, unknown field names outside `where`) are reported, not thrown. */
export function compile(source: string, isField: (name: string) => boolean): { program?: Program; errors: ExpressionError[] } {
  let program: Program;
  try {
    program = parse(source);
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    return { errors: [{ ...lineColumn(source, e.pos), message: e.message }] };
  }
  const errors: ExpressionError[] = [];
  const walk = (node: Node, lets: Set<string>): void => {
    switch (node.k) {
      case 'name':
        if (!lets.has(node.name) && !isField(node.name)) errors.push({ ...lineColumn(source, node.pos), message: `unknown field ${node.name}` });
        return;
      case 'assign': case 'create': case 'delete':
        errors.push({ ...lineColumn(source, node.pos), message: 'a function field cannot write' });
        return;
      case 'select': return;   // names in `where` belong to another table
      case 'get': walk(node.obj, lets); return;
      case 'call': node.args.forEach((a) => walk(a, lets)); return;
      case 'un': walk(node.e, lets); return;
      case 'bin': walk(node.l, lets); walk(node.r, lets); return;
      case 'array': node.items.forEach((a) => walk(a, lets)); return;
      case 'record': walk(node.id, lets); return;
      case 'if': walk(node.c, lets); walk(node.t, lets); if (node.e) walk(node.e, lets); return;
      case 'let': walk(node.e, lets); lets.add(node.name); return;
      case 'block': node.list.forEach((a) => walk(a, lets)); return;
      default: return;
    }
  };
  walk(program.root, new Set());
  return errors.length ? { errors } : { program, errors };
}

// ---------------------------------------------------------------- evaluation

/** What the evaluator needs from the workspace: reads and writes by table and field name. */
export interface Host {
  readField(ref: RecRef, field: string): unknown;   // a reference field gives a RecRef (or null), a reverse a RecRef[]
  writeField(ref: RecRef, field: string, value: unknown): void;
  select(table: string): RecRef[];
  record(table: string, id: number): RecRef | null;
  create(table: string): RecRef;
  remove(ref: RecRef): void;
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false && v !== 0 && v !== '';
}

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof RecRef) return String(v.id);
  if (Array.isArray(v)) return v.map(asText).join(', ');
  return String(v);
}

function asNumber(v: unknown, pos: number): number {
  if (v === null || v === undefined || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(String(v));
  if (!Number.isFinite(n)) throw new ExprError(`not a number: ${asText(v)}`, pos);
  return n;
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof RecRef && b instanceof RecRef) return a.table === b.table && a.id === b.id;
  if (a instanceof RecRef) return a.id === Number(b);
  if (b instanceof RecRef) return b.id === Number(a);
  if (typeof a === 'number' || typeof b === 'number') return a !== null && b !== null && Number(a) === Number(b);
  return (a ?? null) === (b ?? null);
}

function numbers(list: unknown[], pos: number): number[] {
  return list.filter((v) => v !== null && v !== undefined && v !== '').map((v) => asNumber(v, pos));
}

function callFunction(name: string, args: unknown[], pos: number): unknown {
  const list = (): unknown[] => (Array.isArray(args[0]) ? args[0] : args[0] === null || args[0] === undefined ? [] : [args[0]]);
  switch (name) {
    case 'count': return list().length;
    case 'sum': return numbers(list(), pos).reduce((a, b) => a + b, 0);
    case 'avg': { const n = numbers(list(), pos); return n.length ? n.reduce((a, b) => a + b, 0) / n.length : null; }
    case 'min': { const n = numbers(list(), pos); return n.length ? Math.min(...n) : null; }
    case 'max': { const n = numbers(list(), pos); return n.length ? Math.max(...n) : null; }
    case 'first': return list()[0] ?? null;
    case 'last': { const l = list(); return l[l.length - 1] ?? null; }
    case 'text': return asText(args[0]);
    case 'number': return args[0] === null || args[0] === '' ? null : asNumber(args[0], pos);
    case 'upper': return asText(args[0]).toUpperCase();
    case 'lower': return asText(args[0]).toLowerCase();
    case 'length': return asText(args[0]).length;
    case 'round': { const f = 10 ** asNumber(args[1] ?? 0, pos); return Math.round(asNumber(args[0], pos) * f) / f; }
    case 'concat': return args.map(asText).join('');
    case 'join': return list().map(asText).join(asText(args[1] ?? ', '));
    default: throw new ExprError(`unsupported function ${name}()`, pos);
  }
}

export interface EvalOptions {
  host: Host;
  /** the record `this` and bare field names refer to */
  self?: RecRef;
  /** function fields may not write */
  readOnly?: boolean;
}

export function evaluate(program: Program, options: EvalOptions): unknown {
  const vars = new Map<string, unknown>();
  const { host } = options;

  const field = (ref: unknown, name: string, pos: number): unknown => {
    if (ref === null || ref === undefined) return null;
    if (Array.isArray(ref)) return ref.flatMap((r) => { const v = field(r, name, pos); return Array.isArray(v) ? v : v === null ? [] : [v]; });
    if (!(ref instanceof RecRef)) throw new ExprError(`.${name} needs a record`, pos);
    return host.readField(ref, name);
  };

  const assign = (refs: unknown, name: string, value: unknown, pos: number): void => {
    if (options.readOnly) throw new ExprError('a function field cannot write', pos);
    for (const ref of Array.isArray(refs) ? refs : [refs]) {
      if (!(ref instanceof RecRef)) throw new ExprError(`cannot assign ${name}: no record`, pos);
      host.writeField(ref, name, value instanceof RecRef ? value.id : value);
    }
  };

  const run = (node: Node, self: RecRef | undefined): unknown => {
    switch (node.k) {
      case 'lit': return node.v;
      case 'this':
        if (!self) throw new ExprError('this: no record (send tableName and rowId)', node.pos);
        return self;
      case 'name':
        if (vars.has(node.name)) return vars.get(node.name);
        if (!self) throw new ExprError(`unknown name ${node.name}`, node.pos);
        return field(self, node.name, node.pos);
      case 'get': return field(run(node.obj, self), node.name, node.pos);
      case 'call': return callFunction(node.name, node.args.map((a) => run(a, self)), node.pos);
      case 'un': {
        const v = run(node.e, self);
        return node.op === 'not' ? !truthy(v) : -asNumber(v, 0);
      }
      case 'bin': {
        if (node.op === 'and') return truthy(run(node.l, self)) && truthy(run(node.r, self));
        if (node.op === 'or') return truthy(run(node.l, self)) || truthy(run(node.r, self));
        const l = run(node.l, self);
        const r = run(node.r, self);
        switch (node.op) {
          case '+':
            if (typeof l === 'string' || typeof r === 'string') return asText(l) + asText(r);
            return asNumber(l, node.pos) + asNumber(r, node.pos);
          case '-': return asNumber(l, node.pos) - asNumber(r, node.pos);
          case '*': return asNumber(l, node.pos) * asNumber(r, node.pos);
          case '/': { const d = asNumber(r, node.pos); return d === 0 ? null : asNumber(l, node.pos) / d; }
          case '=': return equal(l, r);
          case '!=': return !equal(l, r);
          default: {
            if (l === null || r === null) return false;
            const [a, b] = typeof l === 'string' && typeof r === 'string' ? [l, r] : [asNumber(l, node.pos), asNumber(r, node.pos)];
            return node.op === '<' ? a < b : node.op === '>' ? a > b : node.op === '<=' ? a <= b : a >= b;
          }
        }
      }
      case 'array': return node.items.map((i) => run(i, self));
      case 'select': {
        const all = host.select(node.table);
        return node.where ? all.filter((r) => truthy(run(node.where as Node, r))) : all;
      }
      case 'record': return host.record(node.table, asNumber(run(node.id, self), node.pos));
      case 'create':
        if (options.readOnly) throw new ExprError('a function field cannot write', node.pos);
        return host.create(node.table);
      case 'delete': {
        if (options.readOnly) throw new ExprError('a function field cannot write', node.pos);
        const v = run(node.e, self);
        for (const ref of Array.isArray(v) ? v : [v]) if (ref instanceof RecRef) host.remove(ref);
        return null;
      }
      case 'if': return truthy(run(node.c, self)) ? run(node.t, self) : node.e ? run(node.e, self) : null;
      case 'let': vars.set(node.name, run(node.e, self)); return null;
      case 'assign': {
        const value = run(node.e, self);
        if (node.target.k === 'name') {
          if (vars.has(node.target.name)) { vars.set(node.target.name, value); return null; }
          if (!self) throw new ExprError(`unknown name ${node.target.name}`, node.pos);
          assign(self, node.target.name, value, node.pos);
        } else if (node.target.k === 'get') {
          assign(run(node.target.obj, self), node.target.name, value, node.pos);
        }
        return null;
      }
      case 'block': {
        let last: unknown = null;
        for (const n of node.list) last = run(n, self);
        return last;
      }
    }
  };
  return run(program.root, options.self);
}

/** A script's answer as JSON: records become their ids (strings, as everywhere on read). */
export function toJson(value: unknown): unknown {
  if (value instanceof RecRef) return String(value.id);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value ?? null;
}

