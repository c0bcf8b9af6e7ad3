/**
 * The in-memory Ninox: teams → databases → tables (typed fields) → records (+ files), a database-wide change
 * counter (`seq`) and tombstones for the changes feed. Everything the HTTP routes do goes through the
 * `Database` methods here, so tests that seed or assert through `Store` see exactly what the API would.
 */
import { createHash } from 'node:crypto';
import { checkFormula, evaluateFormula, formulaToJson } from './script';
import {
  ChoiceStyle, Field, FieldType, FIELD_TYPES, StoredValue, WriteError, formatTimestamp, isEmpty, isReadOnly,
  looselyEquals, toChangeValue, toOutput, toStored,
} from './values';

export type { ChoiceStyle, Field, FieldType, StoredValue } from './values';
export { WriteError } from './values';

/** An error the API answers as `{"message": …}` with this status. */
export class NinoxError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const DEFAULT_USER_ID = 'anm2jMxL7kRuatXW9';

export interface StoredFile {
  name: string;
  contentType: string;
  data: Buffer;
  modifiedDate: number;  // epoch ms
  modifiedUser: string;
  seq: number;
}

export interface StoredRecord {
  id: number;
  sequence: number;              // db seq of the last change to this record
  createdAt: number | null;      // null → shown as "" (old records in the reference have no creation date)
  createdBy: string | 0;         // 0 → unknown creator, as in the reference
  modifiedAt: number;
  modifiedBy: string;
  values: Record<string, StoredValue>;   // by field id; empty fields have no key
}

/** A record as the API returns it. */
export interface NinoxRecord {
  id: number;
  sequence: number;
  createdAt: string;
  createdBy: string | 0;
  modifiedAt: string;
  modifiedBy: string;
  fields: Record<string, unknown>;
}

export interface FileMeta {
  name: string;
  contentType: string;
  size: number;
  modifiedDate: number;
  modifiedUser: string;
  seq: number;
}

export interface FieldSpec {
  id?: string;
  name: string;
  type: FieldType;
  choices?: string[];   // choice / multi: captions, ids become "1", "2", …
  refTable?: string;    // ref: target table id or name (a reverse field is added to it automatically)
  revName?: string;     // ref: caption of that reverse field (default: this table's name)
  fn?: string;          // formula (script subset), e.g. `'First Name' + " " + 'Last Name'`
}

export interface TableSpec {
  id?: string;
  name: string;
  fields?: FieldSpec[];
}

export interface DatabaseSettings {
  name: string;
  icon: string;
  color: string;
  backgroundClass?: string;
  backgroundTimestamp?: number;
  [key: string]: unknown;
}

export interface RecordMeta {
  createdAt?: number | null;
  createdBy?: string | 0;
  modifiedAt?: number;
  modifiedBy?: string;
}

/** Options of a record list: the query parameters of `GET …/records`, already parsed. */
export interface ListQuery {
  page?: number;
  perPage?: number;
  order?: string;          // field name
  desc?: boolean;
  new?: boolean;           // newest created first
  updated?: boolean;       // last modified first
  sinceId?: number;        // id > n
  sinceSq?: number;        // sequence > n
  ids?: number[];
  filters?: Record<string, unknown>;   // keyed by field id, equality
  choiceStyle?: ChoiceStyle;
  style?: 'names' | 'ids';             // keys of `fields`
}

export interface RenderOptions {
  choiceStyle?: ChoiceStyle;
  style?: 'names' | 'ids';
}

/** Validated values to write, by field id (undefined = clear the field). */
export type ResolvedValues = Record<string, StoredValue | undefined>;

/** A removed file, kept for the changes feed. */
export interface FileRemoval {
  rid: number;
  name: string;
  seq: number;
}

/** 1 → A, 26 → Z, 27 → AA: Ninox's ids for tables and fields. */
export function letterId(n: number): string {
  let s = '';
  let rest = n;
  while (rest > 0) {
    const r = (rest - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    rest = Math.floor((rest - 1) / 26);
  }
  return s;
}

function letterIndex(id: string): number {
  if (!/^[A-Z]+$/.test(id)) return 0;
  let n = 0;
  for (const ch of id) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** A < B < … < Z < AA: ids ordered as Ninox hands them out. */
export function compareLetterIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export class Table {
  /** In schema order; add fields with Database.addField. */
  readonly fields: Field[] = [];
  private readonly byId = new Map<string, Field>();
  private readonly byName = new Map<string, Field>();
  nextFieldId = 1;
  readonly records = new Map<number, StoredRecord>();
  /** rid → file name → file (kept apart from records: most records have none). */
  readonly files = new Map<number, Map<string, StoredFile>>();
  nextRid = 1;
  /** rid → seq of its deletion (tombstones for the changes feed). */
  readonly removes = new Map<number, number>();
  readonly fileRemovals: FileRemoval[] = [];
  /** Bumped on every record change; invalidates cached reverse-reference indexes. */
  version = 0;
  viewSeq = 0;
  readonly viewId: string;
  /** Map iteration order equals id order unless a record was created with an explicit lower id. */
  private inIdOrder = true;
  private maxRid = 0;
  /** The id-ordered list, rebuilt only after a record was added or removed. */
  private ordered: readonly StoredRecord[] | undefined;

  constructor(readonly id: string, public name: string, dbId: string) {
    // a stable 16-character view id, like the reference's "OLUnKwMQJaibWUzI"
    this.viewId = createHash('sha1').update(`${dbId}/${id}`).digest('base64').replace(/[^A-Za-z]/g, '').slice(0, 16);
  }

  fieldById(id: string): Field | undefined {
    return this.byId.get(id);
  }

  fieldByName(name: string): Field | undefined {
    return this.byName.get(name);
  }

  /** Appends a field definition (Database.addField validates and assigns ids). */
  pushField(field: Field): void {
    this.fields.push(field);
    this.byId.set(field.id, field);
    this.byName.set(field.name, field);
  }

  insert(record: StoredRecord): void {
    if (record.id < this.maxRid) this.inIdOrder = false;
    this.maxRid = Math.max(this.maxRid, record.id);
    this.records.set(record.id, record);
    if (record.id >= this.nextRid) this.nextRid = record.id + 1;
    this.ordered = undefined;
  }

  remove(rid: number): boolean {
    if (!this.records.delete(rid)) return false;
    this.files.delete(rid);
    this.ordered = undefined;
    return true;
  }

  /** All records by id ascending (the default order of every list). Shared: copy before sorting. */
  recordsInIdOrder(): readonly StoredRecord[] {
    if (!this.ordered) {
      if (!this.inIdOrder) {
        const sorted = [...this.records.values()].sort((a, b) => a.id - b.id);
        this.records.clear();
        for (const r of sorted) this.records.set(r.id, r);
        this.inIdOrder = true;
      }
      this.ordered = [...this.records.values()];
    }
    return this.ordered;
  }

  filesOf(rid: number): Map<string, StoredFile> | undefined {
    return this.files.get(rid);
  }
}

export class Database {
  seq = 0;
  /** seq of the last schema change, and how many there were (the schema's `seq` / `version`). */
  schemaSeq = 0;
  version = 0;
  nextTypeId = 1;
  readonly tables = new Map<string, Table>();
  readonly settings: DatabaseSettings;
  private readonly revCache = new Map<string, { version: number; index: Map<number, number[]> }>();

  constructor(readonly store: Store, readonly teamId: string, readonly id: string, public name: string,
    settings?: Partial<DatabaseSettings>) {
    this.settings = {
      name,
      icon: 'i-db-icon-big i-db i-team',
      color: '#6691FF',
      backgroundClass: 'background-file',
      backgroundTimestamp: 1505809647759,
      ...settings,
    };
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Tables in id order. */
  tableList(): Table[] {
    return [...this.tables.values()].sort((a, b) => compareLetterIds(a.id, b.id));
  }

  /** By id, else by name (the API accepts a table's name in the path as well). */
  table(idOrName: string): Table | undefined {
    return this.tables.get(idOrName) ?? [...this.tables.values()].find((t) => t.name === idOrName);
  }

  private schemaChanged(): number {
    const seq = this.nextSeq();
    this.schemaSeq = seq;
    this.version += 1;
    return seq;
  }

  addTable(spec: TableSpec): Table {
    let id = spec.id;
    if (!id) {
      do id = letterId(this.nextTypeId++); while (this.tables.has(id));
    } else {
      if (this.tables.has(id)) throw new Error(`table id ${id} already exists`);
      this.nextTypeId = Math.max(this.nextTypeId, letterIndex(id) + 1);
    }
    if (this.table(spec.name)) throw new Error(`table name ${spec.name} already exists`);
    const table = new Table(id, spec.name, this.id);
    this.tables.set(id, table);
    for (const f of spec.fields ?? []) this.addField(table, f, false);
    table.viewSeq = this.schemaChanged();   // one schema change for the table and its fields
    return table;
  }

  addField(table: Table, spec: FieldSpec, countsAsChange = true): Field {
    if (!FIELD_TYPES.includes(spec.type)) throw new Error(`unknown field type ${spec.type}`);
    if (table.fieldByName(spec.name)) throw new Error(`field ${spec.name} already exists in ${table.name}`);
    if (spec.type === 'rev') throw new Error('rev fields are created by adding a ref field to the other table');
    const field: Field = { id: this.nextFieldIdFor(table, spec.id), name: spec.name, type: spec.type };
    if (spec.type === 'choice' || spec.type === 'multi') {
      field.choices = (spec.choices ?? []).map((caption, i) => ({ id: String(i + 1), caption }));
      field.nextChoiceId = field.choices.length + 1;
    }
    if (spec.fn !== undefined) {
      checkFormula(spec.fn);
      field.fn = spec.fn;
    }
    let target: Table | undefined;
    if (spec.type === 'ref') {
      target = spec.refTable === undefined ? undefined : this.table(spec.refTable);
      if (!target) throw new Error(`ref field ${spec.name}: unknown table ${String(spec.refTable)}`);
      field.refTable = target.id;
    }
    table.pushField(field);
    if (target) {
      // like Ninox: a reference creates the reverse field in the target table
      let revName = spec.revName ?? table.name;
      if (target.fieldByName(revName)) revName = `${revName} (${field.name})`;
      target.pushField({
        id: this.nextFieldIdFor(target), name: revName, type: 'rev', refTable: table.id, refField: field.id,
      });
    }
    if (countsAsChange) this.schemaChanged();
    return field;
  }

  private nextFieldIdFor(table: Table, wanted?: string): string {
    if (wanted) {
      if (table.fieldById(wanted)) throw new Error(`field id ${wanted} already exists in ${table.name}`);
      table.nextFieldId = Math.max(table.nextFieldId, letterIndex(wanted) + 1);
      return wanted;
    }
    let id: string;
    do id = letterId(table.nextFieldId++); while (table.fieldById(id));
    return id;
  }

  /**
   * Field name/id → stored values, all validated before anything is written.
   * Unknown and read-only fields and impossible values throw WriteError (Ninox: a bare 500).
   */
  resolveFields(table: Table, fields: Record<string, unknown>, keyBy: 'name' | 'id'): ResolvedValues {
    const out: ResolvedValues = {};
    for (const key in fields) {
      const field = keyBy === 'name' ? table.fieldByName(key) : table.fieldById(key);
      if (!field) throw new WriteError(`unknown field ${key} in table ${table.name}`);
      if (isReadOnly(field)) throw new WriteError(`field ${key} is read-only`);
      out[field.id] = toStored(field, fields[key]);
    }
    return out;
  }

  private applyValues(record: StoredRecord, values: ResolvedValues): void {
    for (const id in values) {
      const value = values[id];
      if (value === undefined) delete record.values[id];
      else record.values[id] = value;
    }
  }

  createRecord(table: Table, values: ResolvedValues, options: { id?: number; meta?: RecordMeta } = {}): StoredRecord {
    const now = this.store.now();
    const user = this.store.userId;
    const id = options.id ?? table.nextRid;
    if (table.records.has(id)) throw new Error(`record ${table.id}${id} already exists`);
    const meta = options.meta ?? {};
    const record: StoredRecord = {
      id,
      sequence: this.nextSeq(),
      createdAt: meta.createdAt === undefined ? now : meta.createdAt,
      createdBy: meta.createdBy ?? user,
      modifiedAt: meta.modifiedAt ?? meta.createdAt ?? now,
      modifiedBy: meta.modifiedBy ?? (typeof meta.createdBy === 'string' ? meta.createdBy : user),
      values: {},
    };
    this.applyValues(record, values);
    table.removes.delete(id);   // an upsert may bring back a deleted id
    table.insert(record);
    table.version += 1;
    return record;
  }

  updateRecord(table: Table, record: StoredRecord, values: ResolvedValues, meta: RecordMeta = {}): StoredRecord {
    this.applyValues(record, values);
    record.sequence = this.nextSeq();
    record.modifiedAt = meta.modifiedAt ?? this.store.now();
    record.modifiedBy = meta.modifiedBy ?? this.store.userId;
    table.version += 1;
    return record;
  }

  deleteRecord(table: Table, rid: number): boolean {
    if (!table.remove(rid)) return false;
    table.removes.set(rid, this.nextSeq());
    table.version += 1;
    return true;
  }

  /** Stores a file on a record; with `field` (an image/file field) the field is set to the file's name. */
  putFile(table: Table, record: StoredRecord, file: { name: string; data: Buffer; contentType: string },
    field?: Field): StoredFile {
    const seq = this.nextSeq();
    const stored: StoredFile = {
      name: file.name, contentType: file.contentType, data: file.data,
      modifiedDate: this.store.now(), modifiedUser: this.store.userId, seq,
    };
    let files = table.files.get(record.id);
    if (!files) table.files.set(record.id, (files = new Map()));
    files.set(file.name, stored);
    if (field) {
      record.values[field.id] = file.name;
      record.sequence = seq;
      record.modifiedAt = stored.modifiedDate;
      record.modifiedBy = this.store.userId;
      table.version += 1;
    }
    return stored;
  }

  /** Removes a file; image/file fields that named it are cleared (a record change). */
  deleteFile(table: Table, record: StoredRecord, name: string): boolean {
    if (!table.filesOf(record.id)?.delete(name)) return false;
    const seq = this.nextSeq();
    table.fileRemovals.push({ rid: record.id, name, seq });
    const holders = table.fields.filter((f) => (f.type === 'image' || f.type === 'file') && record.values[f.id] === name);
    if (holders.length) {
      for (const f of holders) delete record.values[f.id];
      record.sequence = seq;
      record.modifiedAt = this.store.now();
      record.modifiedBy = this.store.userId;
      table.version += 1;
    }
    return true;
  }

  /** Ids of the records in `field.refTable` whose ref field points at `record` (a rev field's value). */
  revIds(field: Field, record: StoredRecord): number[] {
    const source = field.refTable ? this.tables.get(field.refTable) : undefined;
    if (!source || !field.refField) return [];
    const key = `${source.id}.${field.refField}`;
    let cached = this.revCache.get(key);
    if (!cached || cached.version !== source.version) {
      const index = new Map<number, number[]>();
      for (const r of source.recordsInIdOrder()) {
        const target = r.values[field.refField];
        if (typeof target !== 'number') continue;
        const list = index.get(target);
        if (list) list.push(r.id);
        else index.set(target, [r.id]);
      }
      cached = { version: source.version, index };
      this.revCache.set(key, cached);
    }
    return cached.index.get(record.id) ?? [];
  }

  /** A field's value as the API shows it (`fields`), formula and rev fields computed; undefined when empty. */
  outputValue(table: Table, record: StoredRecord, field: Field, choiceStyle: ChoiceStyle): unknown {
    if (field.fn !== undefined) {
      const value = formulaToJson(evaluateFormula(this, table, record, field));
      return isEmpty(value) ? undefined : value;
    }
    if (field.type === 'rev') {
      const ids = this.revIds(field, record);
      return ids.length ? ids : undefined;
    }
    const stored = record.values[field.id];
    if (stored === undefined) return undefined;
    const out = toOutput(field, stored, choiceStyle);
    return isEmpty(out) ? undefined : out;
  }

  renderRecord(table: Table, record: StoredRecord, options: RenderOptions = {}): NinoxRecord {
    const choiceStyle = options.choiceStyle ?? 'names';
    const fields: Record<string, unknown> = {};
    for (const field of table.fields) {
      const value = this.outputValue(table, record, field, choiceStyle);
      if (value !== undefined) fields[options.style === 'ids' ? field.id : field.name] = value;
    }
    return {
      id: record.id,
      sequence: record.sequence,
      createdAt: record.createdAt === null ? '' : formatTimestamp(record.createdAt),
      createdBy: record.createdBy,
      modifiedAt: formatTimestamp(record.modifiedAt),
      modifiedBy: record.modifiedBy,
      fields,
    };
  }

  /** Upsert answer item: `_id`, `_cu/_cd/_mu/_md` (timestamps as strings), values by field id. */
  renderUpsertItem(table: Table, record: StoredRecord): Record<string, unknown> {
    const item: Record<string, unknown> = {
      _id: record.id,
      _cu: record.createdBy,
      _cd: record.createdAt === null ? '' : formatTimestamp(record.createdAt),
      _mu: record.modifiedBy,
      _md: formatTimestamp(record.modifiedAt),
    };
    for (const field of table.fields) {
      const value = this.outputValue(table, record, field, 'names');
      // formula fields always appear (the reference shows "O": "" for an empty one)
      if (value !== undefined) item[field.id] = value;
      else if (field.fn !== undefined) item[field.id] = '';
    }
    return item;
  }

  /** Changes-feed entry: `_id: "A1"`, `_cd/_md` in epoch ms, stored values by field id (no formulas/rev). */
  renderChangeEntry(table: Table, record: StoredRecord): Record<string, unknown> {
    const entry: Record<string, unknown> = { _id: `${table.id}${record.id}`, _cu: record.createdBy };
    // the reference omits _cd for a record without a creation date
    if (record.createdAt !== null) entry._cd = record.createdAt;
    entry._mu = record.modifiedBy;
    entry._md = record.modifiedAt;
    for (const field of table.fields) {
      const stored = record.values[field.id];
      if (stored !== undefined && field.fn === undefined && field.type !== 'rev') {
        entry[field.id] = toChangeValue(field, stored);
      }
    }
    return entry;
  }

  /** Records matching `query`, sorted, not paged. */
  findRecords(table: Table, query: ListQuery): readonly StoredRecord[] {
    let list: StoredRecord[] | readonly StoredRecord[] = table.recordsInIdOrder();
    if (query.ids) {
      const wanted = new Set(query.ids);
      list = list.filter((r) => wanted.has(r.id));
    }
    if (query.sinceId !== undefined) {
      const n = query.sinceId;
      list = list.filter((r) => r.id > n);
    }
    if (query.sinceSq !== undefined) {
      const n = query.sinceSq;
      list = list.filter((r) => r.sequence > n);
    }
    if (query.filters) {
      const conditions = Object.entries(query.filters).map(([key, want]) => {
        const field = table.fieldById(key);
        if (!field) throw new NinoxError(400, `Unknown field id in filters: ${key}`);
        return { field, want };
      });
      list = list.filter((r) => conditions.every(({ field, want }) => this.matches(table, r, field, want)));
    }
    // the id-ordered list is shared with the table: sort copies only
    if (query.updated) {
      list = [...list].sort((a, b) => b.sequence - a.sequence);
    } else if (query.new) {
      list = [...list].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || b.id - a.id);
    } else if (query.order !== undefined) {
      const field = table.fieldByName(query.order) ?? table.fieldById(query.order);
      if (!field) throw new NinoxError(400, `Unknown field in order: ${query.order}`);
      const keyed = list.map((r) => ({ r, key: this.sortKey(table, r, field) }));
      keyed.sort((a, b) => compareSortKeys(a.key, b.key) || a.r.id - b.r.id);
      const sorted = keyed.map((k) => k.r);
      list = query.desc ? sorted.reverse() : sorted;
    } else if (query.desc) {
      list = [...list].reverse();
    }
    return list;
  }

  /** Does the record's field equal `want` (by caption or id)? Used by `filters` and script `=`. */
  matches(table: Table, record: StoredRecord, field: Field, want: unknown): boolean {
    const byName = this.outputValue(table, record, field, 'names');
    const candidates = field.type === 'choice' || field.type === 'multi'
      ? [byName, this.outputValue(table, record, field, 'ids')]
      : [byName];
    return looselyEquals(candidates, want);
  }

  private sortKey(table: Table, record: StoredRecord, field: Field): number | string | undefined {
    const stored = record.values[field.id];
    if (typeof stored === 'number') return stored;
    const out = this.outputValue(table, record, field, 'names');
    if (out === undefined) return undefined;
    if (typeof out === 'number') return out;
    if (typeof out === 'boolean') return out ? 1 : 0;
    return Array.isArray(out) ? out.join(', ') : String(out);
  }

  fileMeta(file: StoredFile): FileMeta {
    return {
      name: file.name, contentType: file.contentType, size: file.data.length,
      modifiedDate: file.modifiedDate, modifiedUser: file.modifiedUser, seq: file.seq,
    };
  }
}

/** Empty values sort first; numbers before text. */
function compareSortKeys(a: number | string | undefined, b: number | string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b);
}

export class Team {
  readonly databases = new Map<string, Database>();
  constructor(readonly id: string, public name: string) {}
}

const ID_ALPHABET = 'abcdefghijkmnopqrstuvwxyz23456789';

/**
 * The store as tests see it: synchronous, addressed by ids (tables also by name), going through the same
 * Database methods as the HTTP routes so that sequences and the changes feed stay right.
 */
export class Store {
  readonly teams = new Map<string, Team>();
  /** The user every request acts as (createdBy/modifiedBy, `_cu`/`_mu`, users()). */
  userId = DEFAULT_USER_ID;
  /** The clock for new timestamps; replace it for deterministic times. */
  now: () => number = () => Date.now();
  private idCounter = 0;

  /** Deterministic ids for teams/databases created without one. */
  private makeId(length: number): string {
    this.idCounter += 1;
    const digest = createHash('sha1').update(`ninox-fake-${this.idCounter}`).digest();
    let s = '';
    for (let i = 0; i < length; i++) s += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
    return s;
  }

  addTeam(spec: { id?: string; name: string }): Team {
    const id = spec.id ?? this.makeId(17);
    if (this.teams.has(id)) throw new Error(`team ${id} already exists`);
    const team = new Team(id, spec.name);
    this.teams.set(id, team);
    return team;
  }

  addDatabase(teamId: string, spec: { id?: string; name: string; settings?: Partial<DatabaseSettings> }): Database {
    const team = this.team(teamId);
    const id = spec.id ?? this.makeId(12);
    if (team.databases.has(id)) throw new Error(`database ${id} already exists`);
    const db = new Database(this, team.id, id, spec.name, spec.settings);
    team.databases.set(id, db);
    return db;
  }

  addTable(teamId: string, dbId: string, spec: TableSpec): Table {
    return this.database(teamId, dbId).addTable(spec);
  }

  addField(teamId: string, dbId: string, tableId: string, spec: FieldSpec): Field {
    const db = this.database(teamId, dbId);
    return db.addField(this.tableOf(db, tableId), spec);
  }

  /** Throws NinoxError 404 "Team not found". */
  team(teamId: string): Team {
    const team = this.teams.get(teamId);
    if (!team) throw new NinoxError(404, 'Team not found');
    return team;
  }

  /** Throws NinoxError 404 "Team not found" / "Database not found". */
  database(teamId: string, dbId: string): Database {
    const db = this.team(teamId).databases.get(dbId);
    if (!db) throw new NinoxError(404, 'Database not found');
    return db;
  }

  /** Throws NinoxError 404 … / "Table not found". */
  table(teamId: string, dbId: string, tableId: string): Table {
    return this.tableOf(this.database(teamId, dbId), tableId);
  }

  private tableOf(db: Database, tableId: string): Table {
    const table = db.table(tableId);
    if (!table) throw new NinoxError(404, 'Table not found');
    return table;
  }

  /** The database's current change counter. */
  seq(teamId: string, dbId: string): number {
    return this.database(teamId, dbId).seq;
  }

  /** Creates records from field NAMES (one seq each); returns their ids. Invalid values throw WriteError. */
  insertRecords(teamId: string, dbId: string, tableId: string, rows: Array<Record<string, unknown>>,
    meta?: RecordMeta): number[] {
    const db = this.database(teamId, dbId);
    const table = this.tableOf(db, tableId);
    const resolved = rows.map((row) => db.resolveFields(table, row, 'name'));
    return resolved.map((values) => db.createRecord(table, values, { meta }).id);
  }

  /** Records as the API shows them; all of them unless `page`/`perPage` are given (HTTP defaults to 100). */
  getRecords(teamId: string, dbId: string, tableId: string, query: ListQuery = {}): NinoxRecord[] {
    const db = this.database(teamId, dbId);
    const table = this.tableOf(db, tableId);
    let list = db.findRecords(table, query);
    if (query.page !== undefined || query.perPage !== undefined) {
      const perPage = query.perPage ?? 100;
      const start = (query.page ?? 0) * perPage;
      list = list.slice(start, start + perPage);
    }
    return list.map((r) => db.renderRecord(table, r, query));
  }

  getRecord(teamId: string, dbId: string, tableId: string, rid: number, options?: RenderOptions): NinoxRecord | undefined {
    const db = this.database(teamId, dbId);
    const table = this.tableOf(db, tableId);
    const record = table.records.get(rid);
    return record ? db.renderRecord(table, record, options) : undefined;
  }

  /** Merges field NAMES into a record; throws NinoxError 404 if it does not exist. */
  updateRecord(teamId: string, dbId: string, tableId: string, rid: number, fields: Record<string, unknown>): NinoxRecord {
    const db = this.database(teamId, dbId);
    const table = this.tableOf(db, tableId);
    const record = table.records.get(rid);
    if (!record) throw new NinoxError(404, 'Not found');
    db.updateRecord(table, record, db.resolveFields(table, fields, 'name'));
    return db.renderRecord(table, record);
  }

  deleteRecord(teamId: string, dbId: string, tableId: string, rid: number): boolean {
    const db = this.database(teamId, dbId);
    return db.deleteRecord(this.tableOf(db, tableId), rid);
  }

  /** Attaches a file; `fieldName` (an image/file field) is set to the file's name. */
  addFile(teamId: string, dbId: string, tableId: string, rid: number,
    file: { name: string; data: Buffer; contentType?: string; fieldName?: string }): FileMeta {
    const db = this.database(teamId, dbId);
    const table = this.tableOf(db, tableId);
    const record = table.records.get(rid);
    if (!record) throw new NinoxError(404, 'Not found');
    const field = file.fieldName === undefined ? undefined : fileField(table, file.fieldName);
    const stored = db.putFile(table, record,
      { name: file.name, data: file.data, contentType: file.contentType ?? guessContentType(file.name) }, field);
    return db.fileMeta(stored);
  }

  getFile(teamId: string, dbId: string, tableId: string, rid: number, name: string):
    { meta: FileMeta; data: Buffer } | undefined {
    const db = this.database(teamId, dbId);
    const file = this.tableOf(db, tableId).filesOf(rid)?.get(name);
    return file ? { meta: db.fileMeta(file), data: file.data } : undefined;
  }

  listFiles(teamId: string, dbId: string, tableId: string, rid: number): FileMeta[] {
    const db = this.database(teamId, dbId);
    const files = this.tableOf(db, tableId).filesOf(rid);
    return files ? [...files.values()].map((f) => db.fileMeta(f)) : [];
  }

  deleteFile(teamId: string, dbId: string, tableId: string, rid: number, name: string): boolean {
    const db = this.database(teamId, dbId);
    const table = this.tableOf(db, tableId);
    const record = table.records.get(rid);
    return record ? db.deleteFile(table, record, name) : false;
  }
}

/** The image/file field an upload's `fieldName` part names (by name or id); anything else is Ninox's 500. */
export function fileField(table: Table, key: string): Field {
  const field = table.fieldByName(key) ?? table.fieldById(key);
  if (!field || (field.type !== 'image' && field.type !== 'file')) {
    throw new WriteError(`${key} is not an image or file field of ${table.name}`);
  }
  return field;
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff', heic: 'image/heic', pdf: 'application/pdf',
  txt: 'text/plain', csv: 'text/csv', html: 'text/html', htm: 'text/html', json: 'application/json',
  xml: 'application/xml', zip: 'application/zip', doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mp3: 'audio/mpeg', mp4: 'video/mp4', mov: 'video/quicktime',
};

export function guessContentType(name: string): string {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && CONTENT_TYPES[ext]) ?? 'application/octet-stream';
}
