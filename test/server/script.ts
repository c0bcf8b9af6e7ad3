/**
 * A small, documented subset of Ninox script for `/query` and `/exec` (and for formula fields).
 * Anything outside it is answered with 400 "Unsupported script: …" naming the part, so a test never
 * mistakes an unimplemented feature for a wrong answer. See README.md for the subset.
 */
import type { Database, StoredRecord, Table } from './store';
import type { Field } from './values';
import { WriteError, formatTimestamp, looselyEquals } from './values';

/** A script error: answered as 400 {"message": …}. */
export class ScriptError extends Error {}

function unsupported(part: string): ScriptError {
  return new ScriptError(`Unsupported script: ${part}`);
}

// ---------------------------------------------------------------- tokens

type TokenKind = 'num' | 'str' | 'name' | 'qname' | 'op' | 'eof';
interface Token {
  kind: TokenKind;
  value: string;
  pos: number;
}

const OPERATORS = [':=', '!=', '<>', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '(', ')', '[', ']', ',', ';', '.'];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw unsupported(`unterminated comment at ${i}`);
      i = end + 2;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(ch)) {
      const m = /^\d+(\.\d+)?/.exec(src.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'num', value: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (ch === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= src.length) throw unsupported(`unterminated string at ${start}`);
        const c = src[i];
        if (c === '"') { i++; break; }
        if (c === '\\' && i + 1 < src.length) {
          const e = src[i + 1];
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        out += c;   // literal newlines and any unicode are kept as they are
        i++;
      }
      tokens.push({ kind: 'str', value: out, pos: start });
      continue;
    }
    if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw unsupported(`unterminated quoted name at ${start}`);
      tokens.push({ kind: 'qname', value: src.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], pos: start });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw unsupported(`character ${JSON.stringify(ch)} at ${i}`);
    tokens.push({ kind: 'op', value: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'eof', value: '', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------- syntax tree

type Node =
  | { t: 'lit'; value: number | string | boolean | null }
  | { t: 'ident'; name: string; pos: number }
  | { t: 'this' }
  | { t: 'array'; items: Node[] }
  | { t: 'select'; table: string; where?: Node }
  | { t: 'create'; table: string }
  | { t: 'delete'; target: Node }
  | { t: 'field'; target: Node; name: string }
  | { t: 'filter'; target: Node; cond: Node }
  | { t: 'call'; fn: string; args: Node[]; table?: string }
  | { t: 'bin'; op: string; left: Node; right: Node }
  | { t: 'not'; expr: Node }
  | { t: 'neg'; expr: Node }
  | { t: 'let'; name: string; value: Node }
  | { t: 'assign'; target: Node; value: Node }
  | { t: 'seq'; items: Node[] };

const FUNCTIONS = new Set(['count', 'first', 'last', 'sum', 'avg', 'min', 'max', 'record', 'users']);
/** Ninox words we know but do not implement: named in the 400 so the gap is obvious. */
const UNSUPPORTED_WORDS = new Set([
  'if', 'then', 'else', 'end', 'for', 'in', 'while', 'do', 'switch', 'case', 'function', 'order', 'by', 'from',
  'to', 'as', 'transaction', 'server', 'duplicate', 'import',
]);

class Parser {
  private i = 0;
  /** Set when the script writes (create, delete, field assignment): `/query` refuses those. */
  writes = false;

  constructor(private readonly tokens: Token[], private readonly src: string) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }

  private isWord(value: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.value === value;
  }

  private expectOp(value: string): void {
    if (!this.isOp(value)) throw this.unexpected(`expected '${value}'`);
    this.next();
  }

  private unexpected(why?: string): ScriptError {
    const t = this.peek();
    if (t.kind === 'name' && UNSUPPORTED_WORDS.has(t.value)) return unsupported(`'${t.value}' (at ${t.pos})`);
    const what = t.kind === 'eof' ? 'end of script' : `'${this.src.slice(t.pos, t.pos + 20)}'`;
    return unsupported(`${what} at ${t.pos}${why ? ` (${why})` : ''}`);
  }

  parseProgram(): Node {
    const node = this.parseSequence('eof');
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return node;
  }

  /** Statements separated by ';' until `end` (')' or end of script). */
  private parseSequence(end: 'eof' | ')'): Node {
    const items: Node[] = [];
    const atEnd = () => (end === 'eof' ? this.peek().kind === 'eof' : this.isOp(')'));
    while (!atEnd()) {
      if (this.isOp(';')) { this.next(); continue; }
      items.push(this.parseStatement());
      if (!atEnd() && !this.isOp(';')) throw this.unexpected("expected ';'");
    }
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  private parseStatement(): Node {
    if (this.isWord('let') || this.isWord('var')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'name' && t.kind !== 'qname') throw unsupported(`variable name at ${t.pos}`);
      this.expectOp(':=');
      return { t: 'let', name: t.value, value: this.parseExpr() };
    }
    if (this.isWord('delete')) {
      this.next();
      this.writes = true;
      return { t: 'delete', target: this.parseExpr() };
    }
    const expr = this.parseExpr();
    if (this.isOp(':=')) {
      this.next();
      if (expr.t === 'field') this.writes = true;
      else if (expr.t !== 'ident') throw unsupported('assignment target (only <records>.Field := … and variables)');
      return { t: 'assign', target: expr, value: this.parseExpr() };
    }
    return expr;
  }

  parseExpr(): Node {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.next();
      left = { t: 'bin', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (this.isWord('and')) {
      this.next();
      left = { t: 'bin', op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Node {
    if (this.isWord('not')) {
      this.next();
      return { t: 'not', expr: this.parseNot() };
    }
    return this.parseComparison();
  }

  private parseComparison(): Node {
    const left = this.parseAdditive();
    for (const op of ['=', '!=', '<>', '<=', '>=', '<', '>']) {
      if (this.isOp(op)) {
        this.next();
        return { t: 'bin', op: op === '<>' ? '!=' : op, left, right: this.parseAdditive() };
      }
    }
    return left;
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value;
      left = { t: 'bin', op, left, right: this.parseMultiplicative() };
    }
    return left;
  }

  private parseMultiplicative(): Node {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next().value;
      left = { t: 'bin', op, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Node {
    if (this.isOp('-')) {
      this.next();
      return { t: 'neg', expr: this.parseUnary() };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Node {
    let node = this.parsePrimary();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.kind !== 'name' && t.kind !== 'qname') throw unsupported(`field name expected at ${t.pos}`);
        if (this.isOp('(')) throw unsupported(`method call .${t.value}()`);
        node = { t: 'field', target: node, name: t.value };
      } else if (this.isOp('[')) {
        this.next();
        const cond = this.parseExpr();
        this.expectOp(']');
        node = { t: 'filter', target: node, cond };
      } else {
        return node;
      }
    }
  }

  private parseTableName(): string {
    const t = this.next();
    if (t.kind !== 'name' && t.kind !== 'qname') throw unsupported(`table name expected at ${t.pos}`);
    return t.value;
  }

  private parsePrimary(): Node {
    const t = this.peek();
    switch (t.kind) {
      case 'num': this.next(); return { t: 'lit', value: Number(t.value) };
      case 'str': this.next(); return { t: 'lit', value: t.value };
      case 'qname': this.next(); return { t: 'ident', name: t.value, pos: t.pos };
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.parseSequence(')');
          this.expectOp(')');
          return inner;
        }
        if (t.value === '[') {
          this.next();
          const items: Node[] = [];
          while (!this.isOp(']')) {
            items.push(this.parseExpr());
            if (!this.isOp(']')) this.expectOp(',');
          }
          this.next();
          return { t: 'array', items };
        }
        throw this.unexpected();
      case 'name': {
        const word = t.value;
        if (word === 'true' || word === 'false') { this.next(); return { t: 'lit', value: word === 'true' }; }
        if (word === 'null') { this.next(); return { t: 'lit', value: null }; }
        if (word === 'this') { this.next(); return { t: 'this' }; }
        if (word === 'select') {
          this.next();
          const table = this.parseTableName();
          if (this.isWord('where')) {
            this.next();
            return { t: 'select', table, where: this.parseExpr() };
          }
          return { t: 'select', table };
        }
        if (word === 'create') {
          this.next();
          this.writes = true;
          return { t: 'create', table: this.parseTableName() };
        }
        if (UNSUPPORTED_WORDS.has(word)) throw this.unexpected();
        this.next();
        if (this.isOp('(')) {
          if (!FUNCTIONS.has(word)) throw unsupported(`function ${word}()`);
          this.next();
          let table: string | undefined;
          if (word === 'record') {
            table = this.parseTableName();
            if (!this.isOp(')')) this.expectOp(',');
          }
          const args: Node[] = [];
          while (!this.isOp(')')) {
            args.push(this.parseExpr());
            if (!this.isOp(')')) this.expectOp(',');
          }
          this.next();
          return { t: 'call', fn: word, args, table };
        }
        return { t: 'ident', name: word, pos: t.pos };
      }
      default:
        throw this.unexpected();
    }
  }
}

const parseCache = new Map<string, { node: Node; writes: boolean }>();

function parse(src: string): { node: Node; writes: boolean } {
  const cached = parseCache.get(src);
  if (cached) return cached;
  const parser = new Parser(tokenize(src), src);
  const node = parser.parseProgram();
  const result = { node, writes: parser.writes };
  if (parseCache.size > 500) parseCache.clear();
  parseCache.set(src, result);
  return result;
}

// ---------------------------------------------------------------- values and evaluation

/** A record reference, shown as "A12" in results. */
class RecRef {
  constructor(readonly table: Table, readonly id: number) {}
  get record(): StoredRecord | undefined {
    return this.table.records.get(this.id);
  }
}

type Value = null | number | string | boolean | RecRef | Value[];

class Scope {
  private readonly vars = new Map<string, Value>();
  constructor(private readonly parent?: Scope, readonly thisRec?: RecRef) {}
  lookup(name: string): { found: boolean; value: Value } {
    if (this.vars.has(name)) return { found: true, value: this.vars.get(name) as Value };
    return this.parent ? this.parent.lookup(name) : { found: false, value: null };
  }
  define(name: string, value: Value): void {
    this.vars.set(name, value);
  }
  assign(name: string, value: Value): boolean {
    if (this.vars.has(name)) { this.vars.set(name, value); return true; }
    return this.parent ? this.parent.assign(name, value) : false;
  }
  get thisRecord(): RecRef | undefined {
    return this.thisRec ?? this.parent?.thisRecord;
  }
}

function flatten(values: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of values) {
    if (Array.isArray(v)) out.push(...flatten(v));
    else if (v !== null) out.push(v);
  }
  return out;
}

function isEmptyValue(v: Value): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

class Evaluator {
  private depth = 0;

  constructor(private readonly db: Database, private readonly readOnly: boolean) {}

  private table(name: string): Table {
    const table = this.db.table(name);
    if (!table) throw new ScriptError(`Unknown table: ${name}`);
    return table;
  }

  private field(table: Table, name: string): Field {
    const field = table.fieldByName(name);
    if (!field) throw new ScriptError(`Unknown field: ${name} in table ${table.name}`);
    return field;
  }

  /** A field of one record, as a script sees it: captions, references as records. */
  fieldValue(ref: RecRef, name: string): Value {
    const field = this.field(ref.table, name);
    const record = ref.record;
    if (!record) return null;
    if (field.fn !== undefined) return this.formula(ref.table, record, field);
    if (field.type === 'rev') {
      const source = field.refTable ? this.db.tables.get(field.refTable) : undefined;
      return source ? this.db.revIds(field, record).map((id) => new RecRef(source, id)) : [];
    }
    const stored = record.values[field.id];
    if (stored === undefined) return null;
    if (field.type === 'ref') {
      const target = field.refTable ? this.db.tables.get(field.refTable) : undefined;
      return target && typeof stored === 'number' ? new RecRef(target, stored) : null;
    }
    if (field.type === 'datetime' && typeof stored === 'number') return formatTimestamp(stored);
    const out = this.db.outputValue(ref.table, record, field, 'names');
    return (out ?? null) as Value;
  }

  formula(table: Table, record: StoredRecord, field: Field): Value {
    if (this.depth > 20 || field.fn === undefined) return null;   // a formula that refers to itself
    this.depth++;
    try {
      return this.eval(parse(field.fn).node, new Scope(undefined, new RecRef(table, record.id)));
    } catch {
      return null;
    } finally {
      this.depth--;
    }
  }

  /** If `node` names one field of one record, that field — so `=` can compare choices by caption or id. */
  private fieldRef(node: Node, scope: Scope): { ref: RecRef; field: Field } | undefined {
    if (node.t === 'ident') {
      const self = scope.thisRecord;
      const field = self?.table.fieldByName(node.name);
      return self && field && self.record ? { ref: self, field } : undefined;
    }
    if (node.t === 'field') {
      const target = this.eval(node.target, scope);
      if (target instanceof RecRef && target.record) {
        const field = target.table.fieldByName(node.name);
        if (field) return { ref: target, field };
      }
    }
    return undefined;
  }

  eval(node: Node, scope: Scope): Value {
    switch (node.t) {
      case 'lit': return node.value;
      case 'this': return scope.thisRecord ?? null;
      case 'array': return node.items.map((n) => this.eval(n, scope));
      case 'seq': {
        let last: Value = null;
        const inner = new Scope(scope);
        for (const item of node.items) last = this.eval(item, inner);
        return last;
      }
      case 'let': {
        scope.define(node.name, this.eval(node.value, scope));
        return null;
      }
      case 'ident': {
        const self = scope.thisRecord;
        if (self && self.table.fieldByName(node.name)) return this.fieldValue(self, node.name);
        const v = scope.lookup(node.name);
        if (v.found) return v.value;
        throw unsupported(`unknown name '${node.name}' at ${node.pos}`);
      }
      case 'select': {
        const table = this.table(node.table);
        const all = table.recordsInIdOrder().map((r) => new RecRef(table, r.id));
        const where = node.where;
        if (!where) return all;
        return all.filter((ref) => truthy(this.eval(where, new Scope(scope, ref))));
      }
      case 'filter': {
        const target = this.eval(node.target, scope);
        const list = Array.isArray(target) ? flatten(target) : target === null ? [] : [target];
        return list.filter((v) => truthy(this.eval(node.cond, new Scope(scope, v instanceof RecRef ? v : undefined))));
      }
      case 'field': {
        const target = this.eval(node.target, scope);
        if (target === null) return null;
        if (target instanceof RecRef) return this.fieldValue(target, node.name);
        if (Array.isArray(target)) {
          return flatten(flatten(target).map((v) => (v instanceof RecRef ? this.fieldValue(v, node.name) : null)));
        }
        throw new ScriptError(`Cannot read field ${node.name} of a ${typeof target}`);
      }
      case 'call': return this.call(node, scope);
      case 'not': return !truthy(this.eval(node.expr, scope));
      case 'neg': return -toNumber(this.eval(node.expr, scope));
      case 'bin': return this.binary(node.op, node.left, node.right, scope);
      case 'create': {
        this.assertWritable('create');
        const table = this.table(node.table);
        return new RecRef(table, this.db.createRecord(table, {}).id);
      }
      case 'delete': {
        this.assertWritable('delete');
        const target = this.eval(node.target, scope);
        for (const v of Array.isArray(target) ? flatten(target) : [target]) {
          if (v instanceof RecRef) this.db.deleteRecord(v.table, v.id);
          else if (v !== null) throw new ScriptError('delete expects records');
        }
        return null;
      }
      case 'assign': return this.assign(node.target, node.value, scope);
    }
  }

  private assertWritable(what: string): void {
    if (this.readOnly) throw new ScriptError(`Query is read-only: ${what} is only allowed in /exec`);
  }

  private assign(target: Node, valueNode: Node, scope: Scope): Value {
    const value = this.eval(valueNode, scope);
    if (target.t === 'ident') {
      if (!scope.assign(target.name, value)) throw unsupported(`assignment to '${target.name}' (not a variable)`);
      return null;
    }
    if (target.t !== 'field') throw unsupported('assignment target');
    this.assertWritable('assignment');
    const owner = this.eval(target.target, scope);
    const records = (Array.isArray(owner) ? flatten(owner) : [owner]).filter((v): v is RecRef => v instanceof RecRef);
    const plain = toPlain(value);
    for (const ref of records) {
      const record = ref.record;
      if (!record) continue;
      const field = this.field(ref.table, target.name);
      try {
        this.db.updateRecord(ref.table, record, this.db.resolveFields(ref.table, { [field.name]: plain }, 'name'));
      } catch (e) {
        if (e instanceof WriteError) throw new ScriptError(`Cannot set ${field.name}: ${e.message}`);
        throw e;
      }
    }
    return null;
  }

  private binary(op: string, leftNode: Node, rightNode: Node, scope: Scope): Value {
    if (op === 'and') return truthy(this.eval(leftNode, scope)) && truthy(this.eval(rightNode, scope));
    if (op === 'or') return truthy(this.eval(leftNode, scope)) || truthy(this.eval(rightNode, scope));
    if (op === '=' || op === '!=') {
      // a field compared with a value matches by caption or choice id, like `filters`
      const leftField = this.fieldRef(leftNode, scope);
      const rightField = leftField ? undefined : this.fieldRef(rightNode, scope);
      let equal: boolean;
      if (leftField || rightField) {
        const f = (leftField ?? rightField) as { ref: RecRef; field: Field };
        const other = this.eval(leftField ? rightNode : leftNode, scope);
        equal = other instanceof RecRef || Array.isArray(other)
          ? valuesEqual(this.fieldValue(f.ref, f.field.name), other)
          : this.db.matches(f.ref.table, f.ref.record as StoredRecord, f.field, other);
      } else {
        equal = valuesEqual(this.eval(leftNode, scope), this.eval(rightNode, scope));
      }
      return op === '=' ? equal : !equal;
    }
    const left = this.eval(leftNode, scope);
    const right = this.eval(rightNode, scope);
    switch (op) {
      case '+':
        if (typeof left === 'string' || typeof right === 'string') return text(left) + text(right);
        return toNumber(left) + toNumber(right);
      case '-': return toNumber(left) - toNumber(right);
      case '*': return toNumber(left) * toNumber(right);
      case '/': return toNumber(right) === 0 ? null : toNumber(left) / toNumber(right);
      default: {
        if (left === null || right === null) return false;
        const a = typeof left === 'number' && typeof right === 'number' ? left : text(left);
        const b = typeof left === 'number' && typeof right === 'number' ? right : text(right);
        if (op === '<') return a < b;
        if (op === '>') return a > b;
        if (op === '<=') return a <= b;
        return a >= b;
      }
    }
  }

  private call(node: { fn: string; args: Node[]; table?: string }, scope: Scope): Value {
    if (node.fn === 'users') return [this.db.store.userId];
    if (node.fn === 'record') {
      const table = this.table(node.table as string);
      const id = toNumber(this.eval(node.args[0] ?? { t: 'lit', value: null }, scope));
      return table.records.has(id) ? new RecRef(table, id) : null;
    }
    if (node.args.length !== 1) throw unsupported(`${node.fn}() with ${node.args.length} arguments`);
    const arg = this.eval(node.args[0], scope);
    const list = Array.isArray(arg) ? flatten(arg) : arg === null ? [] : [arg];
    switch (node.fn) {
      case 'count': return list.filter((v) => !isEmptyValue(v)).length;
      case 'first': return list[0] ?? null;
      case 'last': return list[list.length - 1] ?? null;
      case 'sum': return list.reduce<number>((s, v) => s + toNumber(v), 0);
      case 'avg': return list.length ? list.reduce<number>((s, v) => s + toNumber(v), 0) / list.length : null;
      case 'min': return list.length ? Math.min(...list.map(toNumber)) : null;
      case 'max': return list.length ? Math.max(...list.map(toNumber)) : null;
      default: throw unsupported(`function ${node.fn}()`);
    }
  }
}

function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== '' && v !== 0;
}

function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (v instanceof RecRef) return v.id;
  return 0;
}

function text(v: Value): string {
  if (v === null) return '';
  if (v instanceof RecRef) return `${v.table.id}${v.id}`;
  if (Array.isArray(v)) return v.map(text).join(', ');
  return String(v);
}

function valuesEqual(a: Value, b: Value): boolean {
  if (a instanceof RecRef || b instanceof RecRef) {
    return a instanceof RecRef && b instanceof RecRef && a.table === b.table && a.id === b.id;
  }
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b);
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(toPlain(a)) === JSON.stringify(toPlain(b));
  return looselyEquals([a], b);
}

/** Script value → JSON: records become "A12". */
function toPlain(v: Value): unknown {
  if (v instanceof RecRef) return `${v.table.id}${v.id}`;
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

// ---------------------------------------------------------------- entry points

/**
 * Runs a script against a database and returns its JSON result.
 * `readOnly` (the /query endpoint) refuses create/delete/field assignment before anything runs.
 */
export function runScript(db: Database, source: string, options: { readOnly: boolean }): unknown {
  if (source.trim() === '') throw new ScriptError('query is empty');
  const { node, writes } = parse(source);
  if (options.readOnly && writes) {
    throw new ScriptError('Query is read-only: create, delete and field assignments need /exec');
  }
  return toPlain(new Evaluator(db, options.readOnly).eval(node, new Scope()));
}

/** A formula field's value for one record (null on any error, like an empty formula in Ninox). */
export function evaluateFormula(db: Database, table: Table, record: StoredRecord, field: Field): unknown {
  return new Evaluator(db, true).formula(table, record, field);
}

/** A formula result in record JSON (records as "A12", empty → ""). */
export function formulaToJson(value: unknown): unknown {
  return toPlain(value as Value);
}

/** Throws ScriptError for a formula outside the subset (checked when a formula field is added). */
export function checkFormula(fn: string): void {
  const { writes } = parse(fn);
  if (writes) throw new ScriptError('a formula cannot write');
}
