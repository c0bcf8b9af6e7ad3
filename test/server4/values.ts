/**
 * Field values: what a write accepts per Ninox 4 type (the contract's type table), how it is stored, and how it
 * reads back. Function fields are computed with expr.ts; reverse fields from a cached index of the references.
 */
import { FACTS } from './facts';
import { evaluate, ExprError, Host, RecRef } from './expr';
import { bad, ChoiceOption, Field, isObject, missingText, Module, Ninox4Error, Store, StoredRecord, Table } from './store';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function invalid(field: Field, expected: string, value: unknown): Ninox4Error {
  return bad(`Invalid value for field ${field.name} (${field.type}): expected ${expected}, got ${JSON.stringify(value)}`);
}

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function timestampMs(field: Field, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)) && validDate(value.slice(0, 10))) return Date.parse(value);
  throw invalid(field, 'an ISO 8601 timestamp with a time zone or Unix ms', value);
}

function optionByName(field: Field, name: unknown): ChoiceOption {
  const options = Array.isArray(field.options) ? field.options : [];
  const same = (o: ChoiceOption) => (FACTS.choiceNamesCaseSensitive ? o.name === name : o.name.toLowerCase() === String(name).toLowerCase());
  const option = typeof name === 'string' ? options.find(same) : undefined;
  if (!option) throw invalid(field, `one of ${options.map((o) => JSON.stringify(o.name)).join(', ')}`, name);
  return option;
}

/** A written value → what is stored (`null` clears). Throws a 400 naming the field. */
export function writeValue(store: Store, table: Table, field: Field, value: unknown): unknown {
  if (value === null) return null;
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(field, 'text', value);
      return value;
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw invalid(field, 'a finite number or a numeric string', value);
      return n;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(field, 'true or false', value);   // 1/0 are refused
      return value;
    case 'choice': {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) return null;
      if (list.length > 1) throw invalid(field, 'one option name', value);
      return optionByName(field, list[0]).id;
    }
    case 'multi':
      if (!Array.isArray(value)) throw invalid(field, 'an array of option names', value);   // a bare string is refused
      return [...new Set(value.map((v) => optionByName(field, v).id))];
    case 'date':
      if (typeof value === 'string' && validDate(value)) return value;
      if (typeof value === 'string' && TIMESTAMP.test(value)) return new Date(timestampMs(field, value)).toISOString().slice(0, 10);
      if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
      throw invalid(field, 'YYYY-MM-DD, an ISO 8601 timestamp or Unix ms', value);
    case 'timestamp':
      return timestampMs(field, value);
    case 'appointment': {
      if (typeof value === 'number') return `[${new Date(timestampMs(field, value)).toISOString()},${new Date(value).toISOString()})`;
      const m = typeof value === 'string' ? /^\[([^,]+),([^,)]+)\)$/.exec(value.trim()) : null;
      if (!m) throw invalid(field, '"[start,end)" of ISO 8601 timestamps', value);
      const start = timestampMs(field, m[1].trim());
      const end = timestampMs(field, m[2].trim());
      if (end < start) throw invalid(field, 'an end not before its start', value);
      return `[${new Date(start).toISOString()},${new Date(end).toISOString()})`;
    }
    case 'reference': {
      const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(id) || id < 1) throw invalid(field, 'a record id', value);
      const target = store.refTable(table, field);
      if (!target?.records.has(id)) throw bad(`Invalid value for field ${field.name}: record ${id} does not exist in table ${target?.name ?? '?'}`);
      return id;
    }
    case 'reverse':
    case 'function':
      throw bad(`Field ${field.name} is read-only (${field.type})`);
    case 'dchoice':
    case 'dmulti':
      return value;   // *obs.* source ids, not validated
    default:
      // time, timeinterval, color, icon, file, user: the contract knows only examples; text passes through
      if (typeof value !== 'string' && !(field.type === 'icon' && isObject(value))) throw invalid(field, 'text', value);
      return value;
  }
}

/** Converts one written record (keys = field names) to stored values by field id. */
export function writeValues(store: Store, table: Table, input: Record<string, unknown>, what: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const field = table.field(name);
    if (!field) throw bad(`${what}: ${missingText('field', name)}`);
    out[field.id] = writeValue(store, table, field, value);
  }
  return out;
}

// ---------------------------------------------------------------- reads

/** record id → ids of the records whose reference field `fieldId` points to it (cached per write). */
function reverseIndex(source: Table, fieldId: string): Map<number, number[]> {
  return source.cached(`reverse:${fieldId}`, () => {
    const index = new Map<number, number[]>();
    for (const r of source.recordList()) {
      const target = r.values[fieldId];
      if (typeof target !== 'number') continue;
      const list = index.get(target);
      if (list) list.push(r.id);
      else index.set(target, [r.id]);
    }
    return index;
  });
}

function optionName(field: Field, id: unknown): string | null {
  return (Array.isArray(field.options) ? field.options.find((o) => o.id === id)?.name : undefined) ?? null;
}

class CircularFunctions extends Error {}
/** The function fields being computed now (field id:record id), to find circles. */
const evaluating = new Set<string>();

/**
 * The value as the API reads it. `asScript`: references as records (for expressions) instead of string ids.
 */
export function readValue(store: Store, table: Table, field: Field, record: StoredRecord, asScript = false): unknown {
  const stored = record.values[field.id];
  switch (field.type) {
    case 'choice': return stored === undefined ? null : optionName(field, stored);
    case 'multi': return stored === undefined ? null : (stored as string[]).map((id) => optionName(field, id)).filter((n) => n !== null);
    case 'timestamp':
      if (stored === undefined) return null;
      return FACTS.timestampReadFormat === 'ms' ? stored : new Date(stored as number).toISOString();
    case 'reference': {
      const target = store.refTable(table, field);
      if (stored === undefined || !target?.records.has(stored as number)) return null;
      return asScript ? new RecRef(target.name, stored as number) : String(stored);
    }
    case 'reverse': {
      const source = store.refTable(table, field);
      if (!source || field.reverseOf === undefined) return [];
      const ids = reverseIndex(source, field.reverseOf).get(record.id) ?? [];
      if (asScript) return ids.map((id) => new RecRef(source.name, id));
      return FACTS.reverseReadsAsIds ? ids.map(String) : ids.length;
    }
    case 'function': {
      if (!field.compiled) return null;
      const key = `${field.id}:${record.id}`;
      if (evaluating.has(key)) throw new CircularFunctions();
      evaluating.add(key);
      try {
        const value = evaluate(field.compiled, { host: moduleHost(store, table.module), self: new RecRef(table.name, record.id), readOnly: true });
        if (value instanceof RecRef) return asScript ? value : String(value.id);
        if (Array.isArray(value)) return value.map((v) => (v instanceof RecRef ? String(v.id) : v));
        return typeof value === 'number' && !Number.isFinite(value) ? null : (value ?? null);
      } catch (e) {
        // a circle of function fields reads as empty at its outermost field, not as a number built on an empty one
        if (e instanceof CircularFunctions && evaluating.size > 1) throw e;
        if (e instanceof CircularFunctions || e instanceof ExprError || e instanceof Ninox4Error) return null;
        throw e;
      } finally {
        evaluating.delete(key);
      }
    }
    default: return stored ?? null;
  }
}

/** `{id: "7", values: {…}}`: every field by name (or only `only`), string id, no system fields. */
export function renderRecord(store: Store, table: Table, record: StoredRecord, only?: Field[]): { id: string; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  for (const field of only ?? table.fields) {
    values[field.name] = only && FACTS.projectionNullsReferences && field.type === 'reference'
      ? null
      : readValue(store, table, field, record);
  }
  return { id: String(record.id), values };
}

// ---------------------------------------------------------------- the script host

function tableOf(module: Module, name: string): Table {
  const t = module.table(name);
  if (!t) throw new ExprError(`unknown table ${name}`, 0);
  return t;
}

/** Reads and writes of scripts and function fields, inside one module. */
export function moduleHost(store: Store, module: Module): Host {
  const recordOf = (ref: RecRef): { table: Table; record: StoredRecord } => {
    const table = tableOf(module, ref.table);
    const record = table.records.get(ref.id);
    if (!record) throw new ExprError(`record ${ref.id} of ${ref.table} does not exist`, 0);
    return { table, record };
  };
  const fieldOf = (table: Table, name: string): Field => {
    const f = table.field(name);
    if (!f) throw new ExprError(`unknown field ${name} in table ${table.name}`, 0);
    return f;
  };
  return {
    readField(ref, name) {
      const { table, record } = recordOf(ref);
      return readValue(store, table, fieldOf(table, name), record, true);
    },
    writeField(ref, name, value) {
      const { table, record } = recordOf(ref);
      const field = fieldOf(table, name);
      store.updateRecords(table, [{ record, values: { [field.id]: writeValue(store, table, field, value) } }]);
    },
    select: (name) => tableOf(module, name).recordList().map((r) => new RecRef(name, r.id)),
    record(name, id) {
      return tableOf(module, name).records.has(id) ? new RecRef(name, id) : null;
    },
    create(name) {
      const [record] = store.createRecords(tableOf(module, name), [{}]);
      return new RecRef(name, record.id);
    },
    remove(ref) {
      const table = tableOf(module, ref.table);
      if (table.records.has(ref.id)) store.deleteRecords(table, [ref.id]);
    },
  };
}
