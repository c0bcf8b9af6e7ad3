/**
 * Field values: how a value sent by a client is stored, and how a stored value is shown again
 * (record JSON by caption or id, the changes feed with epoch-ms dates and choice ids).
 */

export type FieldType =
  | 'string' | 'number' | 'date' | 'datetime' | 'time' | 'timeinterval' | 'appointment' | 'boolean'
  | 'choice' | 'multi' | 'ref' | 'rev' | 'phone' | 'email' | 'url' | 'link' | 'html' | 'location'
  | 'color' | 'icon' | 'file' | 'image' | 'signature' | 'user';

export const FIELD_TYPES: readonly FieldType[] = [
  'string', 'number', 'date', 'datetime', 'time', 'timeinterval', 'appointment', 'boolean', 'choice', 'multi',
  'ref', 'rev', 'phone', 'email', 'url', 'link', 'html', 'location', 'color', 'icon', 'file', 'image',
  'signature', 'user',
];

export interface Choice {
  id: string;        // "1", "2", … — strings, as in the reference's table schema
  caption: string;
}

export interface Field {
  id: string;
  name: string;
  type: FieldType;
  choices?: Choice[];      // choice / multi
  nextChoiceId?: number;
  refTable?: string;       // ref: target table id; rev: the table holding the ref field
  refField?: string;       // rev: id of the ref field in refTable
  fn?: string;             // formula fields: computed on read, never written
}

/** A stored value is never empty: clearing a field removes its key. multi = choice ids; datetime = epoch ms. */
export type StoredValue = string | number | boolean | string[];

/** Thrown for a write Ninox rejects with its bare 500 (unknown field, read-only field, value it cannot take). */
export class WriteError extends Error {}

export type ChoiceStyle = 'names' | 'ids';

const TEXT_TYPES = new Set<FieldType>([
  'string', 'phone', 'email', 'url', 'link', 'html', 'location', 'color', 'icon', 'file', 'image', 'signature',
  'user', 'appointment',
]);

export function isReadOnly(field: Field): boolean {
  return field.fn !== undefined || field.type === 'rev';
}

const timestampCache = new Map<number, string>();

/** UTC `YYYY-MM-DDThh:mm:ss`, no `Z` — Ninox's record timestamp format. */
export function formatTimestamp(ms: number): string {
  // bulk-created records share timestamps; caching keeps large list pages cheap
  let text = timestampCache.get(ms);
  if (text === undefined) {
    if (timestampCache.size > 50_000) timestampCache.clear();
    text = new Date(ms).toISOString().slice(0, 19);
    timestampCache.set(ms, text);
  }
  return text;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isValidDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function parseDate(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value.trim());
    if (m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return `${m[1]}-${m[2]}-${m[3]}`;
  }
  throw new WriteError(`not a date: ${JSON.stringify(value)}`);
}

/** Date+time without a zone is read as UTC (that is how the API shows it back). */
function parseDateTime(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
  if (typeof value === 'string') {
    const s = value.trim();
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
    if (m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${m[8] ?? 'Z'}`;
      const ms = Date.parse(iso);
      if (Number.isFinite(ms)) return ms;
    }
  }
  throw new WriteError(`not a date/time: ${JSON.stringify(value)}`);
}

function parseTime(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    const s = Math.floor(value / 1000);
    return `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  }
  if (typeof value === 'string') {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
    if (m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3] ?? 0) < 60) {
      return `${pad(Number(m[1]))}:${m[2]}:${m[3] ?? '00'}`;
    }
  }
  throw new WriteError(`not a time: ${JSON.stringify(value)}`);
}

function parseInterval(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const sign = value < 0 ? '-' : '';
    const abs = Math.abs(Math.round(value));
    const ms = abs % 1000;
    const s = Math.floor(abs / 1000);
    const base = `${sign}${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
    return ms ? `${base}.${pad(ms, 3)}` : base;
  }
  if (typeof value === 'string' && /^-?\d+:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim())) return value.trim();
  throw new WriteError(`not a time interval: ${JSON.stringify(value)}`);
}

function parseNumber(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new WriteError(`not a number: ${JSON.stringify(value)}`);
}

function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  throw new WriteError(`not a yes/no value: ${JSON.stringify(value)}`);
}

/** Choices are written by caption or by id (a caption wins if a caption looks like an id). */
function parseChoice(field: Field, value: unknown): string {
  const choices = field.choices ?? [];
  if (typeof value === 'string') {
    const byCaption = choices.find((c) => c.caption === value);
    if (byCaption) return byCaption.id;
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const byId = choices.find((c) => c.id === String(value));
    if (byId) return byId.id;
  }
  throw new WriteError(`unknown choice ${JSON.stringify(value)} for field ${field.name}`);
}

function parseRef(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  // "12" or the script/changes-feed style "B12"
  if (typeof value === 'string') {
    const m = /^[A-Z]*(\d+)$/.exec(value.trim());
    if (m && Number(m[1]) > 0) return Number(m[1]);
  }
  throw new WriteError(`not a record id: ${JSON.stringify(value)}`);
}

function parseText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new WriteError(`not a text value: ${JSON.stringify(value)}`);
}

/**
 * Converts a client value to its stored form. `undefined` means "clear the field"
 * (null, "" and [] clear a field, like emptying it in the app).
 */
export function toStored(field: Field, value: unknown): StoredValue | undefined {
  if (isReadOnly(field)) throw new WriteError(`field ${field.name} is read-only`);
  if (value === null || value === undefined || value === '') return undefined;
  switch (field.type) {
    case 'number': return parseNumber(value);
    case 'date': return parseDate(value);
    case 'datetime': return parseDateTime(value);
    case 'time': return parseTime(value);
    case 'timeinterval': return parseInterval(value);
    case 'boolean': return parseBoolean(value);
    case 'choice': return parseChoice(field, value);
    case 'multi': {
      const list = Array.isArray(value) ? value : [value];
      const ids = list.map((v) => parseChoice(field, v));
      const unique = [...new Set(ids)];
      return unique.length ? unique : undefined;
    }
    case 'ref': return parseRef(value);
    default:
      if (TEXT_TYPES.has(field.type)) return parseText(value);
      throw new WriteError(`cannot write field type ${field.type}`);
  }
}

function caption(field: Field, id: string): string | undefined {
  return field.choices?.find((c) => c.id === id)?.caption;
}

/** Stored value → record JSON (`fields`), upsert answers and scripts. */
export function toOutput(field: Field, stored: StoredValue, choiceStyle: ChoiceStyle): unknown {
  switch (field.type) {
    case 'datetime': return typeof stored === 'number' ? formatTimestamp(stored) : stored;
    case 'choice': return choiceStyle === 'ids' ? stored : caption(field, String(stored));
    case 'multi': {
      const ids = Array.isArray(stored) ? stored : [String(stored)];
      return choiceStyle === 'ids' ? ids : ids.map((id) => caption(field, id)).filter((c) => c !== undefined);
    }
    default: return stored;
  }
}

/** Stored value → changes feed: dates as epoch ms, choices as ids. */
export function toChangeValue(field: Field, stored: StoredValue): unknown {
  if (field.type === 'date' && typeof stored === 'string') return Date.parse(`${stored}T00:00:00Z`);
  return stored;
}

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Equality as used by `filters` and by `=` in scripts: a value matches if it equals the wanted value by caption
 * or by id, compared as text (so 5 matches "5" and a choice matches "Person" as well as "1").
 */
export function looselyEquals(candidates: unknown[], want: unknown): boolean {
  if (isEmpty(want)) return candidates.every(isEmpty);
  const wanted = String(want);
  for (const candidate of candidates) {
    if (isEmpty(candidate)) continue;
    if (Array.isArray(candidate)) {
      if (candidate.some((c) => String(c) === wanted)) return true;
      if (Array.isArray(want) && JSON.stringify(candidate) === JSON.stringify(want)) return true;
    } else if (String(candidate) === wanted) {
      return true;
    }
  }
  return false;
}
