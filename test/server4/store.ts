/**
 * The in-memory Ninox 4 workspace: modules → tables → typed fields → records, each table's record history
 * (the change feed), the schema history, views and reports. Names are the ids in paths; every object also has
 * an internal id that survives a rename (records store their values by field id).
 * Writes are validated completely before anything changes, so a failed request changes nothing.
 */
import { FACTS } from './facts';
import { compile, ExpressionError, Program } from './expr';

export class Ninox4Error extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const bad = (message: string): Ninox4Error => new Ninox4Error(400, message);
/** `field-not-found: email` and the like (FACTS.notFoundCodes), for 404s and for the 400s that name a missing thing. */
export const missingText = (kind: keyof typeof FACTS.notFoundCodes, name: unknown): string => `${FACTS.notFoundCodes[kind]}: ${String(name)}`;
export const notFound = (kind: keyof typeof FACTS.notFoundCodes, name: unknown, detail = ''): Ninox4Error =>
  new Ninox4Error(404, missingText(kind, name) + detail);

export type Labels = Record<string, string>;
export interface Icon {
  icon: string;
  color?: string;
  filling?: 0 | 1;
}

/** Types a field can be created with (the spec's create enum). */
export const FIELD_TYPES = [
  'string', 'number', 'boolean', 'choice', 'dchoice', 'multi', 'dmulti', 'file', 'date', 'timestamp', 'time',
  'timeinterval', 'appointment', 'icon', 'color', 'user', 'reference', 'reverse', 'function',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const STRING_VARIANTS = ['multiline-text', 'text', 'phone', 'email', 'url', 'location', 'signature'] as const;
export const READ_ONLY_TYPES: readonly FieldType[] = ['reverse', 'function'];

export interface ChoiceOption {
  id: string;
  name: string;
  order: number;
  color?: string;
  textColor?: string;
  icon?: string;
  labels?: Labels;
}

export interface Field {
  id: string;
  name: string;
  labels: Labels;
  type: FieldType;
  variant?: string;
  /** reference / reverse: the other table's internal id */
  refTableId?: string;
  /** reverse: the internal id of the reference field (in refTableId) it mirrors */
  reverseOf?: string;
  options?: ChoiceOption[] | string;
  optionName?: string;
  optionIcon?: string;
  optionColor?: string;
  expression?: string;
  compiled?: Program;
  expressionErrors?: ExpressionError[];
  index: boolean;
  required: boolean;
  search: boolean;
  unique: boolean;
  readRoles: string[];
  writeRoles: string[];
}

export interface StoredRecord {
  id: number;
  /** by field id; a missing key is an empty value */
  values: Record<string, unknown>;
}

export interface RecordChange {
  id: number;
  type: 'create' | 'update' | 'delete';
  at: number;
}

export interface SchemaChange {
  action: 'create' | 'update' | 'delete';
  kind: 'Module' | 'Table' | 'Field';
  id: string;
  at: number;
}

export interface View {
  id: string;
  moduleId: string;
  tableId: string;
  name: string;
  labels: Labels;
  columns: string[];   // field ids
  sort?: { field: string; descending: boolean };
  filter?: Record<string, unknown>;
}

export interface Report {
  id: string;
  moduleId: string;
  tableId: string;
  name: string;
  labels: Labels;
  format: 'A4' | 'Letter';
  columns: string[];   // field ids printed per record
}

export interface GlobalFunction {
  id: string;
  name: string;
  code: string;
}

export class Table {
  fields: Field[] = [];
  records = new Map<number, StoredRecord>();
  nextRecordId = 1;
  history: RecordChange[] = [];
  /** bumped by every record write: caches (ordered list, queries, reverse indexes) key on it */
  version = 0;
  private ordered?: StoredRecord[];
  readonly cache = new Map<string, { version: number; value: unknown }>();

  constructor(
    readonly id: string,
    public module: Module,
    public name: string,
    public labels: Labels,
    public settings: TableSettings,
  ) {}

  field(name: string): Field | undefined {
    return this.fields.find((f) => f.name === name);
  }

  fieldById(id: string): Field | undefined {
    return this.fields.find((f) => f.id === id);
  }

  /** Records in id order (cached until the next write). */
  recordList(): StoredRecord[] {
    this.ordered ??= [...this.records.values()].sort((a, b) => a.id - b.id);
    return this.ordered;
  }

  touched(): void {
    this.version += 1;
    this.ordered = undefined;
  }

  /** A value computed from the records, kept until the next write. */
  cached<T>(key: string, build: () => T): T {
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return hit.value as T;
    const value = build();
    if (this.cache.size > 32) this.cache.clear();
    this.cache.set(key, { version: this.version, value });
    return value;
  }
}

export interface TableSettings {
  icon?: Icon;
  hasFiles: boolean;
  hasGlobalSearch: boolean;
  hasHistory: boolean;
  isEmailLinkingEnabled: boolean;
  isHidden: boolean;
  createRoles: string[];
  readRoles: string[];
  writeRoles: string[];
  deleteRoles: string[];
}

export interface ModuleSettings {
  icon?: Icon;
  isHidden: boolean;
  hideNavigation: boolean;
  openRoles: string[];
}

export class Module {
  tables: Table[] = [];
  functions: GlobalFunction[] = [];

  constructor(readonly id: string, public name: string, public labels: Labels, public settings: ModuleSettings) {}

  table(name: string): Table | undefined {
    return this.tables.find((t) => t.name === name);
  }

  tableById(id: string): Table | undefined {
    return this.tables.find((t) => t.id === id);
  }
}

// ---------------------------------------------------------------- body validation

const NAME = /^[a-z0-9_]+$/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 100 || !NAME.test(value)) {
    throw bad(`${what} name must be 1–100 characters of a–z, 0–9 and _ (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** A valid name that `taken` does not know yet. */
function freshName(value: unknown, what: string, taken: (name: string) => boolean, where: string): string {
  const name = checkName(value, what);
  if (taken(name)) throw bad(`A ${what.toLowerCase()} named ${name} exists${where}`);
  return name;
}

/** The name after a PATCH: the same, or a fresh one. */
function patchedName(current: string, value: unknown, what: string, taken: (name: string) => boolean, where: string): string {
  return value === undefined || value === current ? current : freshName(value, what, taken, where);
}

function checkLabels(value: unknown, what: string): Labels {
  if (!isObject(value)) throw bad(`${what} labels must be an object of locale → text`);
  for (const [locale, text] of Object.entries(value)) {
    if (typeof text !== 'string' || text.length < 1 || text.length > 100) {
      throw bad(`${what} label ${JSON.stringify(locale)} must be 1–100 characters`);
    }
  }
  return { ...(value as Labels) };
}

function checkRoles(value: unknown, allowed: readonly string[], key: string): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 2 || !value.every((r) => typeof r === 'string' && allowed.includes(r))) {
    throw bad(`${key} must be 1–2 of ${allowed.join(', ')}`);
  }
  return [...(value as string[])];
}

function checkBool(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw bad(`${key} must be a boolean`);
  return value;
}

function checkIcon(value: unknown): Icon {
  if (!isObject(value) || typeof value.icon !== 'string' || value.icon.length < 1) throw bad('icon must be {icon, color?, filling?}');
  if (value.color !== undefined && typeof value.color !== 'string') throw bad('icon.color must be a string');
  if (value.filling !== undefined && value.filling !== 0 && value.filling !== 1) throw bad('icon.filling must be 0 or 1');
  const icon: Icon = { icon: value.icon };
  if (value.color !== undefined) icon.color = value.color as string;
  if (value.filling !== undefined) icon.filling = value.filling as 0 | 1;
  return icon;
}

const MODULE_ROLES = ['admin', 'editor'];
const FIELD_ROLES = ['admin', 'user'];
const FIELD_KEYS = [
  'name', 'labels', 'type', 'variant', 'refTableName', 'options', 'optionName', 'optionIcon', 'optionColor',
  'expression', 'index', 'required', 'search', 'unique', 'readRoles', 'writeRoles',
];

// ---------------------------------------------------------------- the workspace

export class Store {
  modules: Module[] = [];
  views = new Map<string, View>();
  reports = new Map<string, Report>();
  schemaHistory: SchemaChange[] = [];
  readonly createdAt: number;
  private lastTick = 0;
  private nextId = 1;

  /** The clock (ms); tests and the seed may replace it. */
  now: () => number = () => Date.now();

  constructor(readonly workspaceId: string, public name: string) {
    this.createdAt = this.now();
  }

  /** A strictly increasing time: each write transaction and each feed's `asOf` gets its own millisecond. */
  tick(): number {
    this.lastTick = Math.max(this.now(), this.lastTick + 1);
    return this.lastTick;
  }

  newId(prefix: string): string {
    return `${prefix}${(this.nextId++).toString(36).padStart(4, '0')}`;
  }

  // ---------------------------------------------------------------- lookups (404s)

  private readonly moduleNamed = (name: string): boolean => this.modules.some((m) => m.name === name);

  module(name: string): Module {
    const m = this.modules.find((x) => x.name === name);
    if (!m) throw notFound('module', name);
    return m;
  }

  table(moduleName: string, tableName: string): Table {
    const t = this.module(moduleName).table(tableName);
    if (!t) throw notFound('table', tableName);
    return t;
  }

  field(table: Table, name: string): Field {
    const f = table.field(name);
    if (!f) throw notFound('field', name);
    return f;
  }

  /** The table a reference field points to (always in the same module). */
  refTable(table: Table, field: Field): Table | undefined {
    return field.refTableId === undefined ? undefined : table.module.tableById(field.refTableId);
  }

  private logSchema(action: SchemaChange['action'], kind: SchemaChange['kind'], id: string, at = this.tick()): void {
    this.schemaHistory.push({ action, kind, id, at });
  }

  /** Runs schema changes of one module all-or-nothing: on an error every table's field list is restored. */
  schemaTransaction<T>(module: Module, apply: () => T): T {
    const fields: Array<[Table, Field[]]> = module.tables.map((t) => [t, [...t.fields]]);
    const historyLength = this.schemaHistory.length;
    try {
      return apply();
    } catch (e) {
      for (const [t, list] of fields) t.fields = list;
      this.schemaHistory.length = historyLength;
      throw e;
    }
  }

  // ---------------------------------------------------------------- modules

  addModule(body: unknown): Module {
    if (!isObject(body)) throw bad('Body must be an object');
    const name = freshName(body.name, 'Module', this.moduleNamed, '');
    const module = new Module(this.newId('m'), name, body.labels === undefined ? {} : checkLabels(body.labels, 'Module'), {
      isHidden: false, hideNavigation: false, openRoles: ['admin', 'editor'],
    });
    this.applyModuleSettings(module.settings, body);
    this.modules.push(module);
    this.logSchema('create', 'Module', module.id);
    return module;
  }

  updateModule(module: Module, body: unknown): Module {
    if (!isObject(body)) throw bad('Body must be an object');
    const settings = { ...module.settings };
    const name = patchedName(module.name, body.name, 'Module', this.moduleNamed, '');
    const labels = body.labels === undefined ? module.labels : checkLabels(body.labels, 'Module');
    this.applyModuleSettings(settings, body);
    Object.assign(module, { name, labels, settings });
    this.logSchema('update', 'Module', module.id);
    return module;
  }

  private applyModuleSettings(s: ModuleSettings, body: Record<string, unknown>): void {
    if (body.icon !== undefined) s.icon = checkIcon(body.icon);
    if (body.isHidden !== undefined) s.isHidden = checkBool(body.isHidden, 'isHidden');
    if (body.hideNavigation !== undefined) s.hideNavigation = checkBool(body.hideNavigation, 'hideNavigation');
    if (body.openRoles !== undefined) s.openRoles = checkRoles(body.openRoles, MODULE_ROLES, 'openRoles');
  }

  deleteModule(module: Module): string {
    this.modules = this.modules.filter((m) => m !== module);
    for (const [id, v] of this.views) if (v.moduleId === module.id) this.views.delete(id);
    for (const [id, r] of this.reports) if (r.moduleId === module.id) this.reports.delete(id);
    this.logSchema('delete', 'Module', module.id);
    return module.id;
  }

  // ---------------------------------------------------------------- tables

  addTable(module: Module, body: unknown): Table {
    if (!isObject(body)) throw bad('Body must be an object');
    const name = freshName(body.name, 'Table', (n) => !!module.table(n), ` in module ${module.name}`);
    if (body.labels === undefined) throw bad('Table labels are required');
    const labels = checkLabels(body.labels, 'Table');
    const table = new Table(this.newId('t'), module, name, labels, {
      hasFiles: false, hasGlobalSearch: false, hasHistory: FACTS.hasHistoryDefault, isEmailLinkingEnabled: false,
      isHidden: false, createRoles: ['admin', 'editor'], readRoles: ['admin', 'editor'], writeRoles: ['admin', 'editor'],
      deleteRoles: ['admin', 'editor'],
    });
    this.applyTableSettings(table.settings, body);
    module.tables.push(table);
    this.logSchema('create', 'Table', table.id);
    return table;
  }

  updateTable(table: Table, body: unknown): Table {
    if (!isObject(body)) throw bad('Body must be an object');
    const name = patchedName(table.name, body.name, 'Table', (n) => !!table.module.table(n), ` in module ${table.module.name}`);
    const labels = body.labels === undefined ? table.labels : checkLabels(body.labels, 'Table');
    const settings = { ...table.settings };
    this.applyTableSettings(settings, body);
    Object.assign(table, { name, labels, settings });
    this.logSchema('update', 'Table', table.id);
    return table;
  }

  private applyTableSettings(s: TableSettings, body: Record<string, unknown>): void {
    if (body.icon !== undefined) s.icon = checkIcon(body.icon);
    for (const key of ['hasFiles', 'hasGlobalSearch', 'hasHistory', 'isEmailLinkingEnabled', 'isHidden'] as const) {
      if (body[key] !== undefined) s[key] = checkBool(body[key], key);
    }
    for (const key of ['createRoles', 'readRoles', 'writeRoles', 'deleteRoles'] as const) {
      if (body[key] !== undefined) s[key] = checkRoles(body[key], MODULE_ROLES, key);
    }
  }

  deleteTable(table: Table): string {
    const module = table.module;
    // references into the table go with it (and their reverses with them)
    for (const other of module.tables) {
      if (other === table) continue;
      other.fields = other.fields.filter((f) => f.refTableId !== table.id);
    }
    module.tables = module.tables.filter((t) => t !== table);
    for (const [id, v] of this.views) if (v.tableId === table.id) this.views.delete(id);
    for (const [id, r] of this.reports) if (r.tableId === table.id) this.reports.delete(id);
    this.logSchema('delete', 'Table', table.id);
    return table.id;
  }

  // ---------------------------------------------------------------- fields

  /** Creates fields in one transaction (a single create is a batch of one). */
  addFields(table: Table, bodies: unknown[]): Field[] {
    if (bodies.length < 1) throw bad('At least one field is required');
    return this.schemaTransaction(table.module, () => {
      const at = this.tick();
      return bodies.map((body, i) => {
        const field = this.buildField(table, body, bodies.length > 1 ? `Field ${i}` : 'Field');
        table.fields.push(field);
        this.logSchema('create', 'Field', field.id, at);
        if (field.type === 'reference') this.addReverse(table, field);
        this.compileExpression(table, field);
        return field;
      });
    });
  }

  private buildField(table: Table, body: unknown, what: string): Field {
    if (!isObject(body)) throw bad(`${what} must be an object`);
    const unknown = Object.keys(body).filter((k) => !FIELD_KEYS.includes(k));
    if (unknown.length) throw bad(`${what}: unknown properties ${unknown.join(', ')}`);
    const name = freshName(body.name, 'Field', (n) => !!table.field(n), ` in table ${table.name}`);
    if (body.labels === undefined) throw bad(`${what} ${name}: labels are required`);
    if (typeof body.type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(body.type)) {
      throw bad(`${what} ${name}: type must be one of ${FIELD_TYPES.join(', ')}`);
    }
    const type = body.type as FieldType;
    const field: Field = {
      id: this.newId('f'), name, labels: checkLabels(body.labels, 'Field'), type,
      index: false, required: false, search: false, unique: false, readRoles: ['admin', 'user'], writeRoles: ['admin', 'user'],
    };
    if (body.variant !== undefined) {
      if (type !== 'string' || !(STRING_VARIANTS as readonly string[]).includes(body.variant as string)) {
        throw bad(`${what} ${name}: variant must be one of ${STRING_VARIANTS.join(', ')} on a string field`);
      }
      field.variant = body.variant as string;
    }
    if (type === 'reference' || type === 'reverse') {
      const target = body.refTableName === undefined || body.refTableName === null ? undefined : table.module.table(String(body.refTableName));
      if (!target) throw notFound('table', body.refTableName, ` (references stay in module ${table.module.name})`);
      field.refTableId = target.id;
      if (type === 'reverse') {
        const source = target.fields.find((f) => f.type === 'reference' && f.refTableId === table.id);
        if (!source) throw bad(`${what} ${name}: table ${target.name} has no reference to ${table.name} to reverse`);
        field.reverseOf = source.id;
      }
    } else if (body.refTableName !== undefined && body.refTableName !== null) {
      throw bad(`${what} ${name}: refTableName is only for reference and reverse fields`);
    }
    this.applyFieldSettings(field, body, what);
    if ((type === 'dchoice' || type === 'dmulti') && typeof field.options !== 'string') {
      throw bad(`${what} ${name}: a ${type} field needs an options expression`);
    }
    return field;
  }

  /** The keys PATCH may change too; validated against the field's type. */
  private applyFieldSettings(field: Field, body: Record<string, unknown>, what: string): void {
    const isChoice = field.type === 'choice' || field.type === 'multi';
    const isDynamic = field.type === 'dchoice' || field.type === 'dmulti';
    if (body.options !== undefined) {
      if (isChoice) {
        if (!Array.isArray(body.options)) throw bad(`${what} ${field.name}: options of a ${field.type} field must be an array`);
        field.options = this.buildOptions(field, body.options, what);
      } else if (isDynamic) {
        if (typeof body.options !== 'string') throw bad(`${what} ${field.name}: options of a ${field.type} field must be an expression`);
        field.options = body.options;
      } else {
        throw bad(`${what} ${field.name}: a ${field.type} field has no options`);
      }
    }
    for (const key of ['optionName', 'optionIcon', 'optionColor'] as const) {
      if (body[key] === undefined) continue;
      if (!isDynamic || typeof body[key] !== 'string') throw bad(`${what} ${field.name}: ${key} is only for dchoice/dmulti fields (a string)`);
      field[key] = body[key] as string;
    }
    if (body.expression !== undefined) {
      if (field.type !== 'function' || typeof body.expression !== 'string') throw bad(`${what} ${field.name}: expression is only for function fields (a string)`);
      field.expression = body.expression;
    }
    for (const key of ['index', 'required', 'search', 'unique'] as const) {
      if (body[key] !== undefined) field[key] = checkBool(body[key], key);
    }
    for (const key of ['readRoles', 'writeRoles'] as const) {
      if (body[key] !== undefined) field[key] = checkRoles(body[key], FIELD_ROLES, key);
    }
    if (body.labels !== undefined) field.labels = checkLabels(body.labels, 'Field');
  }

  private buildOptions(field: Field, list: unknown[], what: string): ChoiceOption[] {
    const old = Array.isArray(field.options) ? field.options : [];
    const seen = new Set<string>();
    return list.map((raw, i) => {
      if (!isObject(raw) || typeof raw.name !== 'string' || raw.name.length < 1) throw bad(`${what} ${field.name}: option ${i} needs a name`);
      const extra = Object.keys(raw).filter((k) => !['name', 'id', 'order', 'color', 'textColor', 'icon', 'labels'].includes(k));
      if (extra.length) throw bad(`${what} ${field.name}: option ${i}: unknown properties ${extra.join(', ')}`);
      if (seen.has(raw.name)) throw bad(`${what} ${field.name}: option name ${raw.name} twice`);
      seen.add(raw.name);
      let id: string;
      if (raw.id !== undefined) {
        if (!old.some((o) => o.id === raw.id)) throw bad(`${what} ${field.name}: option id ${String(raw.id)} does not exist`);
        id = raw.id as string;
      } else {
        id = this.newId('o');
      }
      const order = raw.order === undefined ? i : raw.order;
      if (typeof order !== 'number' || !Number.isInteger(order) || order < 0) throw bad(`${what} ${field.name}: option ${i}: order must be an integer ≥ 0`);
      const option: ChoiceOption = { id, name: raw.name, order };
      for (const key of ['color', 'textColor', 'icon'] as const) if (typeof raw[key] === 'string') option[key] = raw[key] as string;
      if (isObject(raw.labels)) option.labels = { ...(raw.labels as Labels) };
      return option;
    });
  }

  /** A reference gets its reverse in the target table by itself (named after the source table). */
  private addReverse(table: Table, reference: Field): void {
    const target = this.refTable(table, reference) as Table;
    let name = table.name;
    for (let n = 2; target.field(name); n++) name = `${table.name}_${n}`;
    target.fields.push({
      id: this.newId('f'), name, labels: { '': table.labels[''] ?? table.name }, type: 'reverse', refTableId: table.id,
      reverseOf: reference.id, index: false, required: false, search: false, unique: false,
      readRoles: ['admin', 'user'], writeRoles: ['admin', 'user'],
    });
  }

  private compileExpression(table: Table, field: Field): void {
    if (field.type !== 'function') return;
    const result = compile(field.expression ?? '', (name) => table.field(name) !== undefined);
    field.compiled = result.program;
    field.expressionErrors = result.errors.length ? result.errors : undefined;
  }

  updateField(table: Table, field: Field, body: unknown): Field {
    if (!isObject(body)) throw bad('Body must be an object');
    for (const key of ['type', 'variant', 'refTableName']) {
      if (body[key] !== undefined) throw bad(`${key} cannot be changed: delete the field and create it again`);
    }
    const unknown = Object.keys(body).filter((k) => !FIELD_KEYS.includes(k));
    if (unknown.length) throw bad(`Field: unknown properties ${unknown.join(', ')}`);
    const copy: Field = { ...field, name: patchedName(field.name, body.name, 'Field', (n) => !!table.field(n), ` in table ${table.name}`) };
    this.applyFieldSettings(copy, body, 'Field');
    Object.assign(field, copy);
    this.compileExpression(table, field);
    this.logSchema('update', 'Field', field.id);
    table.touched();
    return field;
  }

  /** Deletes fields in one transaction; a reference takes its reverse with it. */
  deleteFields(table: Table, names: unknown[]): Field[] {
    if (names.length < 1) throw bad('fieldNames needs at least one name');
    if (new Set(names).size !== names.length) throw bad('fieldNames names a field twice');
    const fields = names.map((n) => {
      if (typeof n !== 'string') throw bad('fieldNames must be strings');
      return this.field(table, n);
    });
    const at = this.tick();
    for (const field of fields) {
      table.fields = table.fields.filter((f) => f !== field);
      const target = this.refTable(table, field);
      if (field.type === 'reference' && target) target.fields = target.fields.filter((f) => f.reverseOf !== field.id);
      this.logSchema('delete', 'Field', field.id, at);
    }
    for (const record of table.records.values()) for (const f of fields) delete record.values[f.id];
    table.touched();
    return fields;
  }

  // ---------------------------------------------------------------- records (values already converted)

  private record(table: Table, type: RecordChange['type'], id: number, at: number): void {
    if (table.settings.hasHistory) table.history.push({ id, type, at });
  }

  createRecords(table: Table, list: Array<Record<string, unknown>>): StoredRecord[] {
    const at = this.tick();
    const created = list.map((values) => {
      for (const key of Object.keys(values)) if (values[key] === null) delete values[key];
      const record: StoredRecord = { id: table.nextRecordId++, values };
      table.records.set(record.id, record);
      this.record(table, 'create', record.id, at);
      return record;
    });
    table.touched();
    return created;
  }

  updateRecords(table: Table, list: Array<{ record: StoredRecord; values: Record<string, unknown> }>): void {
    const at = this.tick();
    for (const { record, values } of list) {
      for (const [key, value] of Object.entries(values)) {
        if (value === null) delete record.values[key];
        else record.values[key] = value;
      }
      this.record(table, 'update', record.id, at);
    }
    table.touched();
  }

  deleteRecords(table: Table, ids: number[]): void {
    const at = this.tick();
    for (const id of ids) {
      table.records.delete(id);
      this.record(table, 'delete', id, at);
    }
    table.touched();
  }
}
