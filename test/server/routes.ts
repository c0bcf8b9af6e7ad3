/**
 * The 27 endpoints of ENDPOINTS.md. A request arrives here already split into decoded path segments
 * (after `/v1`), so an id containing an encoded `/`, `?` or `..` stays one segment and cannot reach another route.
 * Order of checks: 401 (token) → 404 (route) → 405 (method) → 403 (no access) → 400 (body) → the handler.
 */
import { thumbnailFor } from './jpeg';
import { MultipartBody, MultipartError } from './multipart';
import { ScriptError, runScript } from './script';
import {
  Database, Field, ListQuery, NinoxError, RenderOptions, ResolvedValues, Store, StoredRecord, Table, WriteError,
  fileField, guessContentType,
} from './store';

export type Access = 'full' | 'none';

/** The request body as the routes see it. */
export type ParsedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'multipart'; value: MultipartBody }
  | { kind: 'invalid'; message: string };

export interface ApiRequest {
  method: string;
  segments: string[];
  query: Record<string, string>;
  body: ParsedBody;
  /** undefined = no or unknown token */
  access: Access | undefined;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The JSON value sent, if the body is JSON (used to build a truncated body). */
  json?: unknown;
}

export interface RouteOptions {
  maxUploadBytes?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: Buffer.from(JSON.stringify(value)), json: value };
}

export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): ApiResponse {
  return jsonResponse(status, { message }, headers);
}

function emptyResponse(status: number): ApiResponse {
  return { status, headers: {}, body: Buffer.alloc(0) };
}

// ---------------------------------------------------------------- request context

class Context {
  constructor(
    readonly store: Store,
    readonly req: ApiRequest,
    readonly params: Record<string, string>,
    readonly options: RouteOptions,
  ) {}

  get query(): Record<string, string> {
    return this.req.query;
  }

  /** The JSON body (undefined if there is none). */
  get json(): unknown {
    return this.req.body.kind === 'json' ? this.req.body.value : undefined;
  }

  db(): Database {
    return this.store.database(this.params.team, this.params.db);
  }

  table(): { db: Database; table: Table } {
    const db = this.db();
    const table = db.table(this.params.tid);
    if (!table) throw new NinoxError(404, 'Table not found');
    return { db, table };
  }

  record(): { db: Database; table: Table; record: StoredRecord } {
    const { db, table } = this.table();
    const rid = /^\d+$/.test(this.params.rid) ? Number(this.params.rid) : NaN;
    const record = table.records.get(rid);
    if (!record) throw new NinoxError(404, 'Not found');
    return { db, table, record };
  }

  /** `choiceStyle` and `style`, each `ids` or `names`. */
  renderOptions(): RenderOptions {
    return { choiceStyle: this.styleParam('choiceStyle'), style: this.styleParam('style') };
  }

  private styleParam(name: string): 'ids' | 'names' | undefined {
    const value = this.query[name];
    if (value === undefined || value === '') return undefined;
    if (value !== 'ids' && value !== 'names') throw new NinoxError(400, `Invalid ${name}: expected ids or names`);
    return value;
  }

  int(name: string, min: number): number | undefined {
    const value = this.query[name];
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d+$/.test(value) || Number(value) < min) throw new NinoxError(400, `Invalid ${name}: ${value}`);
    return Number(value);
  }

  flag(name: string): boolean {
    const value = this.query[name];
    return value === 'true' || value === '1';
  }

  /** `filters` from the query string (JSON) and/or a JSON body `{"filters": {…}}`. */
  filters(): Record<string, unknown> | undefined {
    let filters: Record<string, unknown> | undefined;
    const fromQuery = this.query.filters;
    if (fromQuery !== undefined && fromQuery !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromQuery);
      } catch {
        throw new NinoxError(400, 'Invalid filters: not JSON');
      }
      if (!isObject(parsed)) throw new NinoxError(400, 'Invalid filters: expected an object keyed by field id');
      filters = parsed;
    }
    const body = this.json;
    if (isObject(body) && body.filters !== undefined) {
      if (!isObject(body.filters)) throw new NinoxError(400, 'Invalid filters: expected an object keyed by field id');
      filters = { ...body.filters, ...filters };
    }
    return filters;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseRid(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0) return Number(value);
  throw new NinoxError(400, `Invalid ${what}: ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------- shapes

function tableJson(table: Table): unknown {
  return {
    id: table.id,
    name: table.name,
    // the table endpoints leave formula fields out (the database schema has them)
    fields: table.fields.filter((f) => f.fn === undefined).map((f) => fieldJson(f)),
  };
}

function fieldJson(field: Field): Record<string, unknown> {
  const out: Record<string, unknown> = { id: field.id, name: field.name, type: field.type };
  if (field.choices) out.choices = field.choices.map((c) => ({ id: c.id, caption: c.caption, captions: {} }));
  if (field.type === 'ref' || field.type === 'rev') out.refTableId = field.refTable;
  if (field.type === 'rev') out.refFieldId = field.refField;
  return out;
}

function schemaJson(db: Database): unknown {
  const types: Record<string, unknown> = {};
  for (const table of db.tableList()) {
    const fields: Record<string, unknown> = {};
    table.fields.forEach((f, order) => {
      const def: Record<string, unknown> = { base: f.type, caption: f.name, captions: {}, required: false, order };
      if (f.choices) {
        def.values = Object.fromEntries(f.choices.map((c, i) => [c.id, { caption: c.caption, captions: {}, order: i }]));
        def.nextChoiceId = f.nextChoiceId;
      }
      if (f.type === 'ref') Object.assign(def, { refTypeId: f.refTable, dependent: false });
      if (f.type === 'rev') Object.assign(def, { refTypeId: f.refTable, refFieldId: f.refField });
      if (f.fn !== undefined) def.fn = f.fn;
      fields[f.id] = def;
    });
    types[table.id] = { caption: table.name, captions: {}, hidden: false, nextFieldId: table.nextFieldId, fields };
  }
  return {
    settings: db.settings,
    schema: {
      seq: db.schemaSeq,
      version: db.version,
      nextTypeId: db.nextTypeId,
      types,
      afterOpenBehavior: 'restoreNavigation',
      fileSync: 'full',
    },
  };
}

/** updates/removes/files of the changes feed since `since`, for some tables (and optionally one record). */
function changeSets(db: Database, tables: Table[], since: number, rid?: number) {
  const updates: Record<string, unknown> = {};
  const removes: string[] = [];
  const files: unknown[] = [];
  for (const table of tables) {
    const records = rid === undefined ? table.recordsInIdOrder() : [table.records.get(rid)].filter((r): r is StoredRecord => !!r);
    for (const record of records) {
      if (record.sequence > since) updates[`${table.id}${record.id}`] = db.renderChangeEntry(table, record);
      for (const file of table.filesOf(record.id)?.values() ?? []) {
        if (file.seq > since) {
          files.push({ id: `${table.id}${record.id}`, name: file.name, contentType: file.contentType, size: file.data.length, seq: file.seq });
        }
      }
    }
    const removed = [...table.removes.entries()].filter(([id, seq]) => seq > since && (rid === undefined || id === rid));
    for (const [id] of removed.sort((a, b) => a[1] - b[1])) removes.push(`${table.id}${id}`);
    for (const f of table.fileRemovals) {
      if (f.seq > since && (rid === undefined || f.rid === rid)) {
        files.push({ id: `${table.id}${f.rid}`, name: f.name, removed: true, seq: f.seq });
      }
    }
  }
  return { updates, removes, files };
}

function viewsJson(tables: Table[], since: number): Record<string, unknown> {
  const views: Record<string, unknown> = {};
  for (const t of tables) {
    if (t.viewSeq > since) {
      views[t.viewId] = { id: t.viewId, order: 10, type: t.id, caption: '(alle)', config: { type: t.id }, seq: t.viewSeq };
    }
  }
  return views;
}

function sinceSq(ctx: Context): number {
  const value = ctx.query.sinceSq;
  if (value === undefined || !/^-?\d+$/.test(value)) throw new NinoxError(400, 'sinceSq is required and must be an integer');
  return Number(value);
}

// ---------------------------------------------------------------- handlers

type Handler = (ctx: Context) => ApiResponse;

function listRecords(ctx: Context): ApiResponse {
  const { db, table } = ctx.table();
  const perPage = Math.min(ctx.int('perPage', 1) ?? 100, 1000);   // Ninox caps a page at 1000
  const page = ctx.int('page', 0) ?? 0;
  const idsParam = ctx.query.ids;
  const query: ListQuery = {
    order: ctx.query.order || undefined,
    desc: ctx.flag('desc'),
    new: ctx.flag('new'),
    updated: ctx.flag('updated'),
    sinceId: ctx.int('sinceId', Number.MIN_SAFE_INTEGER),
    sinceSq: ctx.int('sinceSq', Number.MIN_SAFE_INTEGER),
    ids: idsParam ? idsParam.split(',').map((s) => parseRid(s.trim(), 'ids')) : undefined,
    filters: ctx.filters(),
    ...ctx.renderOptions(),
  };
  const all = db.findRecords(table, query);
  const pageRecords = all.slice(page * perPage, page * perPage + perPage);
  return jsonResponse(200, pageRecords.map((r) => db.renderRecord(table, r, query)));
}

interface Planned {
  kind: 'create' | 'update' | 'upsert';
  rid?: number;
  values: ResolvedValues;
}

/** POST …/records: create/update by field names, or upsert by field ids; validated fully before applying. */
function writeRecords(ctx: Context): ApiResponse {
  const { db, table } = ctx.table();
  const body = ctx.json;
  // observed clients also send one object: {fields} or an upsert item
  const single = isObject(body) && (isObject(body.fields) || body._upsert === true);
  const items = single ? [body] : body;
  if (!Array.isArray(items)) throw new NinoxError(400, 'Body must be an array of records');

  const plans: Planned[] = items.map((item, index) => {
    if (!isObject(item)) throw new NinoxError(400, `Record ${index} must be an object`);
    if (item._upsert === true) {
      const rid = item._id === undefined || item._id === null ? undefined : parseRid(item._id, '_id');
      const byId = Object.fromEntries(Object.entries(item).filter(([key]) => !key.startsWith('_')));
      return { kind: 'upsert', rid, values: db.resolveFields(table, byId, 'id') };
    }
    const fields = item.fields ?? {};
    if (!isObject(fields)) throw new NinoxError(400, `Record ${index}: fields must be an object`);
    if (item.id === undefined || item.id === null) {
      return { kind: 'create', values: db.resolveFields(table, fields, 'name') };
    }
    const rid = parseRid(item.id, 'id');
    if (!table.records.has(rid)) throw new NinoxError(404, 'Not found');
    return { kind: 'update', rid, values: db.resolveFields(table, fields, 'name') };
  });

  const options = ctx.renderOptions();
  const results = plans.map((plan) => {
    const existing = plan.rid === undefined ? undefined : table.records.get(plan.rid);
    const record = existing
      ? db.updateRecord(table, existing, plan.values)
      : db.createRecord(table, plan.values, { id: plan.rid });
    return plan.kind === 'upsert' ? db.renderUpsertItem(table, record) : db.renderRecord(table, record, options);
  });
  return jsonResponse(200, single ? results[0] : results);
}

function deleteRecords(ctx: Context): ApiResponse {
  const { db, table } = ctx.table();
  const body = ctx.json;
  if (!Array.isArray(body)) throw new NinoxError(400, 'Body must be an array of record ids');
  const ids = body.map((id) => parseRid(id, 'record id'));
  for (const id of ids) db.deleteRecord(table, id);   // unknown ids are ignored
  return emptyResponse(204);
}

function findRecord(ctx: Context): ApiResponse {
  const { db, table } = ctx.table();
  const filters = ctx.filters();
  if (!filters) throw new NinoxError(400, 'filters is required');
  const [first] = db.findRecords(table, { filters });
  if (!first) throw new NinoxError(404, 'Not found');
  return jsonResponse(200, db.renderRecord(table, first, ctx.renderOptions()));
}

function putRecord(ctx: Context): ApiResponse {
  const { db, table, record } = ctx.record();
  const body = ctx.json;
  if (!isObject(body) || !isObject(body.fields)) throw new NinoxError(400, 'Body must be {"fields": {…}}');
  db.updateRecord(table, record, db.resolveFields(table, body.fields, 'name'));
  return jsonResponse(200, db.renderRecord(table, record, ctx.renderOptions()));
}

function scriptHandler(readOnly: boolean, from: 'query' | 'body'): Handler {
  return (ctx) => {
    const db = ctx.db();
    const body = ctx.json;
    const source = from === 'query' ? ctx.query.query : isObject(body) ? body.query : ctx.query.query;
    if (typeof source !== 'string' || source.trim() === '') throw new NinoxError(400, 'query is required');
    return jsonResponse(200, runScript(db, source, { readOnly }) ?? null);
  };
}

function uploadFile(ctx: Context): ApiResponse {
  const { db, table, record } = ctx.record();
  if (ctx.req.body.kind !== 'multipart') throw new NinoxError(400, "Expected multipart/form-data with a part named 'file'");
  const form = ctx.req.body.value;
  const part = form.files.find((f) => f.name === 'file');
  if (!part) throw new NinoxError(400, "Missing multipart part 'file'");
  if (!part.filename) throw new NinoxError(400, 'The file part needs a file name');
  if (ctx.options.maxUploadBytes !== undefined && part.data.length > ctx.options.maxUploadBytes) {
    throw new NinoxError(413, 'File too large');
  }
  const field = form.fields.fieldName ? fileField(table, form.fields.fieldName) : undefined;
  const contentType = part.contentType || guessContentType(part.filename);
  db.putFile(table, record, { name: part.filename, data: part.data, contentType }, field);
  return { status: 202, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('File Uploaded Successfully') };
}

function fileOf(ctx: Context) {
  const found = ctx.record();
  const file = found.table.filesOf(found.record.id)?.get(ctx.params.file);
  if (!file) throw new NinoxError(404, 'Not found');
  return { ...found, file };
}

const TEAM = ['teams', ':team'];
const DB = [...TEAM, 'databases', ':db'];
const TABLE = [...DB, 'tables', ':tid'];
const RECORD = [...TABLE, 'records', ':rid'];
const FILE = [...RECORD, 'files', ':file'];

interface Route {
  pattern: string[];
  handlers: Partial<Record<string, Handler>>;
}

const ROUTES: Route[] = [
  // 1, 2, 3
  { pattern: ['teams'], handlers: { GET: (ctx) => jsonResponse(200, [...ctx.store.teams.values()].map((t) => ({ id: t.id, name: t.name }))) } },
  { pattern: TEAM, handlers: { GET: (ctx) => { const t = ctx.store.team(ctx.params.team); return jsonResponse(200, { id: t.id, name: t.name }); } } },
  {
    pattern: [...TEAM, 'databases'],
    handlers: { GET: (ctx) => jsonResponse(200, [...ctx.store.team(ctx.params.team).databases.values()].map((d) => ({ id: d.id, name: d.name }))) },
  },
  // 4
  { pattern: DB, handlers: { GET: (ctx) => jsonResponse(200, schemaJson(ctx.db())) } },
  // 5, 6, 7
  { pattern: [...DB, 'query'], handlers: { GET: scriptHandler(true, 'query'), POST: scriptHandler(true, 'body') } },
  { pattern: [...DB, 'exec'], handlers: { POST: scriptHandler(false, 'body') } },
  // 17
  {
    pattern: [...DB, 'changes'],
    handlers: {
      GET: (ctx) => {
        const db = ctx.db();
        const since = sinceSq(ctx);
        const tables = db.tableList();
        const { updates, removes, files } = changeSets(db, tables, since);
        return jsonResponse(200, {
          config: {},
          nextRids: Object.fromEntries(tables.map((t) => [t.id, t.nextRid])),
          updates, removes, files,
          views: viewsJson(tables, since),
          reports: {},
          seq: db.seq,
        });
      },
    },
  },
  // 8, 9
  { pattern: [...DB, 'tables'], handlers: { GET: (ctx) => jsonResponse(200, ctx.db().tableList().map(tableJson)) } },
  { pattern: TABLE, handlers: { GET: (ctx) => jsonResponse(200, tableJson(ctx.table().table)) } },
  // 10, 13, 15, 16, 21
  { pattern: [...TABLE, 'records'], handlers: { GET: listRecords, POST: writeRecords, DELETE: deleteRecords } },
  // 14
  { pattern: [...TABLE, 'record'], handlers: { POST: findRecord } },
  // 18
  {
    pattern: [...TABLE, 'changes'],
    handlers: {
      GET: (ctx) => {
        const { db, table } = ctx.table();
        const since = sinceSq(ctx);
        return jsonResponse(200, {
          nextRid: table.nextRid, ...changeSets(db, [table], since), views: viewsJson([table], since), reports: {}, seq: db.seq,
        });
      },
    },
  },
  // 11, 12, 20
  {
    pattern: RECORD,
    handlers: {
      GET: (ctx) => { const { db, table, record } = ctx.record(); return jsonResponse(200, db.renderRecord(table, record, ctx.renderOptions())); },
      PUT: putRecord,
      DELETE: (ctx) => { const { db, table, record } = ctx.record(); db.deleteRecord(table, record.id); return jsonResponse(200, {}); },
    },
  },
  // 19
  {
    pattern: [...RECORD, 'changes'],
    handlers: {
      GET: (ctx) => {
        const { db, table } = ctx.table();
        const since = sinceSq(ctx);
        const rid = /^\d+$/.test(ctx.params.rid) ? Number(ctx.params.rid) : NaN;
        // a deleted record still has its tombstone; one that never existed is not found
        if (!table.records.has(rid) && !table.removes.has(rid)) throw new NinoxError(404, 'Not found');
        return jsonResponse(200, { nextRid: table.nextRid, ...changeSets(db, [table], since, rid), seq: db.seq });
      },
    },
  },
  // 25, 23
  {
    pattern: [...RECORD, 'files'],
    handlers: {
      GET: (ctx) => {
        const { db, table, record } = ctx.record();
        return jsonResponse(200, [...(table.filesOf(record.id)?.values() ?? [])].map((f) => db.fileMeta(f)));
      },
      POST: uploadFile,
    },
  },
  // 22, 24
  {
    pattern: FILE,
    handlers: {
      GET: (ctx) => {
        const { file } = fileOf(ctx);
        // only the content type: clients must name the file from the name they asked for
        return { status: 200, headers: { 'content-type': file.contentType }, body: file.data };
      },
      DELETE: (ctx) => { const { db, table, record, file } = fileOf(ctx); db.deleteFile(table, record, file.name); return emptyResponse(204); },
    },
  },
  // 26, 27
  { pattern: [...FILE, 'metadata'], handlers: { GET: (ctx) => { const { db, file } = fileOf(ctx); return jsonResponse(200, db.fileMeta(file)); } } },
  {
    pattern: [...FILE, 'thumb.jpg'],
    handlers: {
      GET: (ctx) => {
        const { file } = fileOf(ctx);
        if (!file.contentType.startsWith('image/')) throw new NinoxError(404, 'Not found');
        return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: thumbnailFor(file.data) };
      },
    },
  },
];

function matchRoute(segments: string[]): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const p = route.pattern[i];
      if (p.startsWith(':')) params[p.slice(1)] = segments[i];
      else ok = p === segments[i];
    }
    if (ok) return { route, params };
  }
  return undefined;
}

/** Answers one API request. `authorized` is false when the token was missing, unknown or without access. */
export function handleApiRequest(store: Store, req: ApiRequest, options: RouteOptions = {}): { response: ApiResponse; authorized: boolean } {
  if (req.access === undefined) return { response: errorResponse(401, 'Unauthorized'), authorized: false };
  const matched = matchRoute(req.segments);
  if (!matched) return { response: errorResponse(404, 'Not found'), authorized: true };
  const handler = matched.route.handlers[req.method];
  if (!handler) {
    const allow = Object.keys(matched.route.handlers).join(', ');
    return { response: errorResponse(405, 'Method not allowed', { allow }), authorized: true };
  }
  const isTeamList = req.segments.length === 1 && req.method === 'GET';
  if (req.access === 'none' && !isTeamList) return { response: errorResponse(403, 'Forbidden'), authorized: false };
  if (req.body.kind === 'invalid') return { response: errorResponse(400, req.body.message), authorized: true };
  try {
    return { response: handler(new Context(store, req, matched.params, options)), authorized: true };
  } catch (e) {
    return { response: errorFor(e), authorized: true };
  }
}

function errorFor(e: unknown): ApiResponse {
  if (e instanceof NinoxError) return errorResponse(e.status, e.message);
  if (e instanceof ScriptError || e instanceof MultipartError) return errorResponse(400, e.message);
  // Ninox's real answer to an unknown/read-only field or an impossible value: a bare 500.
  // The reason goes into a header only, so clients cannot depend on a friendlier message than Ninox gives.
  if (e instanceof WriteError) {
    return errorResponse(500, 'Internal Server Error', { 'x-fake-ninox-reason': encodeURIComponent(e.message) });
  }
  console.error('[ninox fake server] unexpected error:', e);
  return errorResponse(500, 'Internal Server Error', { 'x-fake-ninox-reason': 'unexpected server error' });
}
