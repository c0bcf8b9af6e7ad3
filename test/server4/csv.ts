/**
 * POST …/records/import/csv: multipart form (file*, hasHeader, delimiter, quoteChar, encoding, importMode,
 * numberFormat, batchSize, mappings) → `{rowsImported, rowsSkipped, rowsUpdated}`.
 * Per row (FACTS.csvAtomic false, *obs.*): a row that does not convert is skipped and counted; atomic: a 400.
 */
import { FACTS } from './facts';
import type { MultipartBody } from '../server/multipart';
import { bad, Field, isObject, missingText, Ninox4Error, Store, StoredRecord, Table } from './store';
import { writeValue } from './values';

const ENCODINGS = ['utf8', 'ascii', 'latin1', 'iso-latin1', 'utf16', 'windows-cp1252'];
const MODES = ['append', 'update', 'upsert'];

/** Windows-1252's 0x80–0x9F (the rest is Latin-1). */
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decode(data: Buffer, encoding: string): string {
  switch (encoding) {
    case 'utf8': return data.toString('utf8').replace(/^\uFEFF/, '');
    case 'ascii': return data.toString('latin1').replace(/[\u0080-\u00ff]/g, '\uFFFD');
    case 'latin1': case 'iso-latin1': return data.toString('latin1');
    case 'windows-cp1252': return data.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]);
    case 'utf16': {
      if (data[0] === 0xfe && data[1] === 0xff) {   // big endian: swap to little
        const swapped = Buffer.from(data.subarray(2));
        swapped.swap16();
        return swapped.toString('utf16le');
      }
      return data.toString('utf16le').replace(/^\uFEFF/, '');
    }
    default: throw bad(`encoding must be one of ${ENCODINGS.join(', ')}`);
  }
}

/** RFC 4180 rows; the delimiter is guessed from the first line when not given. */
export function parseCsv(text: string, delimiter: string | undefined, quote: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delim = delimiter ?? [',', ';', '\t', '|']
    .map((d) => ({ d, n: firstLine.split(d).length }))
    .sort((a, b) => b.n - a.n)[0].d;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === quote && text[i + 1] === quote) { cell += quote; i += 2; continue; }
      if (c === quote) { quoted = false; i++; continue; }
      cell += c;
      i++;
      continue;
    }
    if (c === quote && cell === '') { quoted = true; i++; continue; }
    if (c === delim) { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += c;
    i++;
  }
  if (quoted) throw bad('CSV: a quoted cell is not closed');
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));   // blank lines
}

interface Mapping {
  column: number;
  field: Field;
  key: boolean;
}

function parseNumber(text: string, format: string): number | string {
  const t = text.trim().replace(/\s/g, '');
  const normal = format === 'european' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normal) ? Number(normal) : text;
}

/** A cell's text → the JSON value a record write would carry. */
function cellValue(field: Field, text: string, numberFormat: string): unknown {
  if (text === '') return null;
  switch (field.type) {
    case 'number': return parseNumber(text, numberFormat);
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', 'yes', '1'].includes(t)) return true;
      if (['false', 'no', '0'].includes(t)) return false;
      return text;
    }
    case 'multi': return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    default: return text;
  }
}

function formField(form: MultipartBody, name: string): string | undefined {
  const v = form.fields[name];
  return v === undefined || v === '' ? undefined : v;
}

export function importCsv(store: Store, table: Table, form: MultipartBody): { rowsImported: number; rowsSkipped: number; rowsUpdated: number } {
  const file = form.files.find((f) => f.name === 'file');
  if (!file) throw bad('file is required (a multipart part named file)');
  if (file.data.length > FACTS.csvFileLimitBytes) throw new Ninox4Error(413, 'File too large (max 50 MB)');
  const hasHeader = (formField(form, 'hasHeader') ?? 'true') !== 'false';
  const encoding = formField(form, 'encoding') ?? 'utf8';
  if (!ENCODINGS.includes(encoding)) throw bad(`encoding must be one of ${ENCODINGS.join(', ')}`);
  const mode = formField(form, 'importMode') ?? 'append';
  if (!MODES.includes(mode)) throw bad(`importMode must be one of ${MODES.join(', ')}`);
  const numberFormat = formField(form, 'numberFormat') ?? 'us';
  if (numberFormat !== 'us' && numberFormat !== 'european') throw bad('numberFormat must be us or european');
  const batchSize = formField(form, 'batchSize');
  if (batchSize !== undefined && (!/^\d+$/.test(batchSize) || Number(batchSize) < 10 || Number(batchSize) > 200)) {
    throw bad('batchSize must be an integer from 10 to 200');
  }
  const delimiter = formField(form, 'delimiter')?.replace(/^\\t$/, '\t');
  if (delimiter !== undefined && delimiter.length !== 1) throw bad('delimiter must be one character');
  const quote = formField(form, 'quoteChar') ?? '"';
  if (quote.length !== 1) throw bad('quoteChar must be one character');

  const rows = parseCsv(decode(file.data, encoding), delimiter, quote);
  const width = Math.max(0, ...rows.map((r) => r.length));
  const header = hasHeader ? rows.shift() ?? [] : Array.from({ length: width }, (_, i) => `${FACTS.csvHeaderlessPrefix}${i + 1}`);
  if (hasHeader && header.length === 0) throw bad('The CSV file is empty');

  const mappings = buildMappings(table, header, formField(form, 'mappings'));
  const keys = mappings.filter((m) => m.key);
  if (mode !== 'append' && keys.length !== FACTS.csvKeyMappingsRequired) {
    throw bad(`importMode ${mode} needs exactly ${FACTS.csvKeyMappingsRequired} mapping with updatePolicy "key" (got ${keys.length})`);
  }
  const key = mode === 'append' ? undefined : keys[0];   // append always creates

  const counts = { rowsImported: 0, rowsSkipped: 0, rowsUpdated: 0 };
  const creates: Array<Record<string, unknown>> = [];
  const updates: Array<{ record: StoredRecord; values: Record<string, unknown> }> = [];
  const byKey = new Map<string, StoredRecord[]>();
  const plannedCreates = new Map<string, Record<string, unknown>>();   // a new key twice: the later row updates the first
  if (key) {
    for (const r of table.recordList()) {
      const k = JSON.stringify(r.values[key.field.id] ?? null);
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
  }
  rows.forEach((row, index) => {
    let values: Record<string, unknown>;
    try {
      values = {};
      for (const m of mappings) values[m.field.id] = writeValue(store, table, m.field, cellValue(m.field, row[m.column] ?? '', numberFormat));
    } catch (e) {
      if (!(e instanceof Ninox4Error) || FACTS.csvAtomic) {
        throw e instanceof Ninox4Error ? bad(`CSV row ${index + (hasHeader ? 2 : 1)}: ${e.message}`) : e;
      }
      counts.rowsSkipped += 1;
      return;
    }
    const k = key ? JSON.stringify(values[key.field.id] ?? null) : '';
    const matches = key ? byKey.get(k) ?? [] : [];
    const planned = key ? plannedCreates.get(k) : undefined;
    if (matches.length || planned) {
      for (const record of matches) updates.push({ record, values });
      if (planned) Object.assign(planned, values);
      counts.rowsUpdated += 1;
    } else if (mode === 'update') {
      counts.rowsSkipped += 1;
    } else {
      creates.push(values);
      if (key) plannedCreates.set(k, values);
      counts.rowsImported += 1;
    }
  });
  if (updates.length) store.updateRecords(table, updates);
  if (creates.length) store.createRecords(table, creates);
  return counts;
}

/** Explicit mappings (a JSON array string), or headers matched to field names in any case. */
function buildMappings(table: Table, header: string[], text: string | undefined): Mapping[] {
  const writable = (field: Field): Field => {
    if (field.type === 'function' || field.type === 'reverse') throw bad(`Field ${field.name} is read-only (${field.type})`);
    return field;
  };
  if (text === undefined) {
    return header.flatMap((name, column) => {
      const field = table.fields.find((f) => f.name.toLowerCase() === name.trim().toLowerCase());
      return field && field.type !== 'function' && field.type !== 'reverse' ? [{ column, field, key: false }] : [];
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('mappings must be a JSON array string');
  }
  if (!Array.isArray(parsed)) throw bad('mappings must be a JSON array string');
  return parsed.map((m, i) => {
    if (!isObject(m) || typeof m.csvColumnName !== 'string' || typeof m.fieldName !== 'string') {
      throw bad(`mappings[${i}] needs csvColumnName and fieldName`);
    }
    const column = header.indexOf(m.csvColumnName);
    if (column < 0) throw bad(`mappings[${i}]: the CSV has no column ${m.csvColumnName}`);
    const field = table.field(m.fieldName);
    if (!field) throw bad(`mappings[${i}]: ${missingText('field', m.fieldName)}`);
    return { column, field: writable(field), key: m.updatePolicy === 'key' };
  });
}
