/**
 * The endpoints of CONTRACT.md: the 23 of openapi.json and the *ext.* ones. Paths arrive as decoded segments
 * after `/api/v1/workspace/{ws}`. index.ts answers what comes before a handler (HTML 200 for an unknown path,
 * the text 401, 413); here: scope (403) → body (400) → the handler (404, 409, 400 …).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { importCsv } from './csv';
import { evaluate, ExprError, parse, RecRef, toJson } from './expr';
import { FACTS, ROLE_KEYS, Scope, SCOPE_OF } from './facts';
import type { MultipartBody } from '../server/multipart';
import { renderPdf } from './pdf';
import {
  bad, Field, isObject, missingText, Module, Ninox4Error, notFound, Report, SchemaChange, Store, StoredRecord, Table,
} from './store';
import { moduleHost, readValue, renderRecord, writeValues } from './values';

export type ParsedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'multipart'; value: MultipartBody }
  | { kind: 'invalid'; message: string };

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** the JSON value sent, if any (for a truncated-body fault) */
  json?: unknown;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: Buffer.from(JSON.stringify(value)), json: value };
}

/** Ninox 4's error envelope. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): ApiResponse {
  return jsonResponse(status, { error: { message } }, headers);
}

export function unauthorizedResponse(): ApiResponse {
  return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(FACTS.unauthorizedText) };
}

/** *ext.* what an unknown path answers: the web app's page. */
export function webAppResponse(): ApiResponse {
  const html = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Ninox</title>'
    + '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="/favicon.ico">'
    + '</head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>'
    + '<script src="/static/js/main.js"></script></body></html>\n';
  return { status: FACTS.unknownPathStatus, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(html) };
}

// ---------------------------------------------------------------- shapes

function iconJson(icon: unknown): Record<string, unknown> {
  return icon === undefined ? {} : { icon };
}

export function fieldJson(field: Field): Record<string, unknown> {
  const out: Record<string, unknown> = { name: field.name, labels: field.labels, type: field.type };
  if (field.variant !== undefined) out.variant = field.variant;
  if (field.refTableId !== undefined) out.refTableId = field.refTableId;
  if (field.options !== undefined) {
    out.options = typeof field.options === 'string' ? field.options : field.options.map((o) => ({ ...o }));
  }
  for (const key of ['optionName', 'optionIcon', 'optionColor', 'expression'] as const) {
    if (field[key] !== undefined) out[key] = field[key];
  }
  if (field.expressionErrors) out.expressionErrors = field.expressionErrors;
  Object.assign(out, {
    index: field.index, required: field.required, search: field.search, unique: field.unique,
    readRoles: field.readRoles, writeRoles: field.writeRoles,
  });
  return out;
}

export function tableJson(table: Table): Record<string, unknown> {
  const s = table.settings;
  return {
    name: table.name, labels: table.labels, ...iconJson(s.icon), hasFiles: s.hasFiles, hasGlobalSearch: s.hasGlobalSearch,
    hasHistory: s.hasHistory, isEmailLinkingEnabled: s.isEmailLinkingEnabled, isHidden: s.isHidden,
    createRoles: s.createRoles, readRoles: s.readRoles, writeRoles: s.writeRoles, deleteRoles: s.deleteRoles,
    fields: table.fields.map(fieldJson),
  };
}

export function moduleJson(module: Module): Record<string, unknown> {
  const s = module.settings;
  return {
    name: module.name, labels: module.labels, ...iconJson(s.icon), isHidden: s.isHidden, hideNavigation: s.hideNavigation,
    openRoles: s.openRoles, tables: module.tables.map(tableJson),
  };
}

// ---------------------------------------------------------------- context

export interface RouteOptions {
  /** the server's origin, for presigned links */
  baseUrl: string;
  /** signs presigned links */
  secret: string;
}

/** A printed report waiting behind its presigned link. */
export interface PrintedFile {
  fileName: string;
  data: Buffer;
  expiresAt: number;
}

class Context {
  constructor(
    readonly store: Store,
    readonly params: Record<string, string>,
    readonly query: Record<string, string>,
    readonly body: ParsedBody,
    readonly options: RouteOptions,
    readonly printed: Map<string, PrintedFile>,
  ) {}

  get json(): unknown {
    return this.body.kind === 'json' ? this.body.value : undefined;
  }

  object(): Record<string, unknown> {
    if (!isObject(this.json)) throw bad('Body must be a JSON object');
    return this.json;
  }

  module(): Module {
    return this.store.module(this.params.m);
  }

  table(): Table {
    return this.store.table(this.params.m, this.params.t);
  }

  field(): { table: Table; field: Field } {
    const table = this.table();
    return { table, field: this.store.field(table, this.params.f) };
  }

  /** An integer query parameter in [min, max]. */
  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.query[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw bad(`${name} must be an integer from ${min} to ${max}`);
    return Number(v);
  }

  /** offset/limit; `always`: records and feeds page even when the client sent neither. */
  paging(always: boolean): { offset: number; limit: number } | undefined {
    const limit = this.int('limit', 1, FACTS.maxPageLimit);
    const offset = this.int('offset', 0);
    if (!always && limit === undefined && offset === undefined) return undefined;
    return { offset: offset ?? 0, limit: limit ?? FACTS.defaultPageLimit };
  }

  /** `{data, page_info}` for a schema list (*ext.* paging: all of it, without page_info, unless asked). */
  list<T>(items: T[], render: (item: T) => unknown): ApiResponse {
    const page = this.paging(false);
    if (!page) return jsonResponse(200, { data: items.map(render) });
    return jsonResponse(200, {
      data: items.slice(page.offset, page.offset + page.limit).map(render),
      page_info: { has_more: page.offset + page.limit < items.length, limit: page.limit, offset: page.offset },
    });
  }
}

type Handler = (ctx: Context) => ApiResponse;

function nonEmptyArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value) || value.length < 1) throw bad(`${what} must be an array with at least one item`);
  return value;
}

/** A record id on write: an integer 1…2^53−1 (numeric strings where FACTS allow them). */
function recordId(value: unknown, acceptStrings: boolean, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  if (acceptStrings && typeof value === 'string' && /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) && Number(value) >= 1) {
    return Number(value);
  }
  throw bad(`${what} must be an integer from 1 to 9007199254740991 (got ${JSON.stringify(value)})`);
}

function existing(table: Table, id: number): StoredRecord {
  const record = table.records.get(id);
  if (!record) throw notFound('record', id, ` in table ${table.name}`);
  return record;
}

// ---------------------------------------------------------------- records

/** filter: a JSON object of field name → value, equality on the read value. */
function recordFilter(ctx: Context, table: Table): { text: string; test: (r: StoredRecord) => boolean; echo: Record<string, unknown> } | undefined {
  const text = ctx.query.filter ?? (FACTS.acceptFiltersAlias ? ctx.query.filters : undefined);
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('filter must be a JSON object');
  }
  if (!isObject(parsed)) throw bad('filter must be a JSON object');
  const tests = Object.entries(parsed).map(([name, expected]) => {
    const field = table.field(name);
    if (!field) throw new Ninox4Error(name === 'id' ? FACTS.filterOnIdStatus : 404, missingText('field', name));
    const want = JSON.stringify(expected);
    return (r: StoredRecord): boolean => {
      const value = readValue(ctx.store, table, field, r);
      if (typeof value === 'number' && typeof expected === 'string') return value === Number(expected);
      if (typeof value === 'string' && typeof expected === 'number') return value === String(expected);   // e.g. a reference id
      if (Array.isArray(value) && typeof expected === 'string') return value.includes(expected);
      return JSON.stringify(value) === want;
    };
  });
  const test = FACTS.filterKeysAnd
    ? (r: StoredRecord) => tests.every((t) => t(r))
    : (r: StoredRecord) => tests.some((t) => t(r));
  return { text, test, echo: parsed };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;   // empty values last
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

function listRecords(ctx: Context): ApiResponse {
  const { store } = ctx;
  const table = ctx.table();
  const filter = recordFilter(ctx, table);
  const sortName = ctx.query.sort || undefined;
  const sortField = sortName === undefined ? undefined : store.field(table, sortName);
  const only = ctx.query.fields === undefined || ctx.query.fields === ''
    ? undefined
    : ctx.query.fields.split(',').map((n) => store.field(table, n.trim()));
  const page = ctx.paging(true) as { offset: number; limit: number };
  const records = filter || sortField
    ? table.cached(`query:${filter?.text ?? ''}|${sortName ?? ''}`, () => {
      let list = table.recordList();
      if (filter) list = list.filter(filter.test);
      if (sortField) {
        const keyed = list.map((r) => ({ r, v: readValue(store, table, sortField, r) }));
        keyed.sort((x, y) => compareValues(x.v, y.v) || x.r.id - y.r.id);
        list = keyed.map((k) => k.r);
      }
      return list;
    })
    : table.recordList();
  const meta: Record<string, unknown> = {};
  if (filter) meta.filter = filter.echo;
  if (sortName) meta.sort = sortName;
  return jsonResponse(200, {
    data: records.slice(page.offset, page.offset + page.limit).map((r) => renderRecord(store, table, r, only)),
    ...(filter || sortName ? { meta } : {}),
    page_info: { has_more: page.offset + page.limit < records.length, limit: page.limit, offset: page.offset },
  });
}

function getRecord(ctx: Context): ApiResponse {
  const table = ctx.table();
  if (!/^\d+$/.test(ctx.params.id)) throw notFound('record', ctx.params.id);
  const record = existing(table, Number(ctx.params.id));
  const only = ctx.query.fields ? ctx.query.fields.split(',').map((n) => ctx.store.field(table, n.trim())) : undefined;
  return jsonResponse(200, { data: renderRecord(ctx.store, table, record, only) });
}

function recordsOf(ctx: Context): Array<Record<string, unknown>> {
  const list = nonEmptyArray(ctx.object().records, 'records');
  return list.map((r, i) => {
    if (!isObject(r)) throw bad(`records[${i}] must be an object`);
    return r;
  });
}

function createRecords(ctx: Context): ApiResponse {
  const table = ctx.table();
  const converted = recordsOf(ctx).map((r, i) => writeValues(ctx.store, table, r, `records[${i}]`));
  const created = ctx.store.createRecords(table, converted);
  return jsonResponse(201, { data: { ids: created.map((r) => String(r.id)) } });
}

function updateRecords(ctx: Context): ApiResponse {
  const table = ctx.table();
  // everything is checked before anything changes: one bad record rolls the batch back
  const planned = recordsOf(ctx).map((r, i) => {
    const { id, ...values } = r;
    const record = existing(table, recordId(id, FACTS.patchAcceptsStringIds, `records[${i}].id`));
    return { record, values: writeValues(ctx.store, table, values, `records[${i}]`) };
  });
  ctx.store.updateRecords(table, planned);
  const ids = planned.map((p) => String(p.record.id));
  return jsonResponse(200, { data: { updatedIds: ids.slice(0, Math.max(0, ids.length - FACTS.updatedIdsUnderReport)) } });
}

function deleteRecords(ctx: Context): ApiResponse {
  const table = ctx.table();
  const ids = nonEmptyArray(ctx.object().records, 'records').map((id, i) => recordId(id, FACTS.deleteAcceptsStringIds, `records[${i}]`));
  if (new Set(ids).size !== ids.length) throw bad('records lists an id twice');
  for (const id of ids) existing(table, id);
  ctx.store.deleteRecords(table, ids);
  return jsonResponse(200, { data: { deletedIds: ids.map(String) } });
}

/** *ext.* create or update by a unique field; 409 when a value matches more than one record. */
function upsertRecords(ctx: Context): ApiResponse {
  const { store } = ctx;
  const table = ctx.table();
  const body = ctx.object();
  if (typeof body.matchField !== 'string' || body.matchField === '') throw bad('matchField is required');
  const match = store.field(table, body.matchField);
  if (!match.unique) throw bad(`matchField ${match.name} must be a unique field`);
  const converted = recordsOf(ctx).map((r, i) => {
    if (r[match.name] === undefined || r[match.name] === null) throw bad(`records[${i}] has no value for matchField ${match.name}`);
    return writeValues(store, table, r, `records[${i}]`);
  });
  const index = table.cached(`match:${match.id}`, () => {
    const map = new Map<string, StoredRecord[]>();
    for (const r of table.recordList()) {
      const key = JSON.stringify(r.values[match.id] ?? null);
      const list = map.get(key);
      if (list) list.push(r);
      else map.set(key, [r]);
    }
    return map;
  });
  const updates: Array<{ record: StoredRecord; values: Record<string, unknown> }> = [];
  const creates: Array<Record<string, unknown>> = [];
  const plannedCreate = new Map<string, Record<string, unknown>>();   // same value twice in one batch: one record
  converted.forEach((values, i) => {
    const key = JSON.stringify(values[match.id]);
    const found = index.get(key) ?? [];
    if (found.length > 1) {
      throw new Ninox4Error(409, `records[${i}]: ${match.name} ${key} matches ${found.length} records (${found.map((r) => r.id).join(', ')})`);
    }
    if (found.length === 1) updates.push({ record: found[0], values });
    else if (plannedCreate.has(key)) Object.assign(plannedCreate.get(key) as Record<string, unknown>, values);
    else {
      plannedCreate.set(key, values);
      creates.push(values);
    }
  });
  if (updates.length) store.updateRecords(table, updates);
  const created = creates.length ? store.createRecords(table, creates) : [];
  return jsonResponse(200, {
    data: { createdIds: created.map((r) => String(r.id)), updatedIds: [...new Set(updates.map((u) => String(u.record.id)))] },
  });
}

function importCsvRoute(ctx: Context): ApiResponse {
  if (ctx.body.kind !== 'multipart') throw bad('Expected multipart/form-data with a file part named file');
  return jsonResponse(201, { data: importCsv(ctx.store, ctx.table(), ctx.body.value) });
}

// ---------------------------------------------------------------- change feeds (*ext.*)

function isoTime(ctx: Context, name: string, required: boolean): number | undefined {
  const v = ctx.query[name];
  if (v === undefined || v === '') {
    if (required) throw bad(`${name} is required (an ISO 8601 UTC time ending in Z)`);
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw bad(`${name} must be an ISO 8601 UTC time ending in Z (got ${v})`);
  }
  return Date.parse(v);
}

/** The window since < at ≤ asOf of a time-ordered history; asOf is fixed by page 1 and echoed. */
function feed<T extends { at: number }>(ctx: Context, history: T[], render: (e: T) => unknown, meta: Record<string, unknown> = {}): ApiResponse {
  const since = isoTime(ctx, 'since', true) as number;
  const asOf = isoTime(ctx, 'asOf', false) ?? ctx.store.tick();
  const after = (e: T) => (FACTS.sinceInclusive ? e.at >= since : e.at > since);
  let start = history.length;   // binary search: history is appended in time order
  for (let lo = 0, hi = history.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if (after(history[mid])) { hi = mid; start = mid; } else lo = mid + 1;
  }
  let end = history.length;
  for (let lo = start, hi = history.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if (history[mid].at > asOf) { hi = mid; end = mid; } else lo = mid + 1;
  }
  const page = ctx.paging(true) as { offset: number; limit: number };
  const from = Math.min(end, start + page.offset);
  const to = Math.min(end, from + page.limit);
  return jsonResponse(200, {
    data: history.slice(from, to).map(render),
    meta: { asOf: new Date(asOf).toISOString(), ...meta },
    page_info: { has_more: to < end, limit: page.limit, offset: page.offset },
  });
}

function recordChanges(ctx: Context): ApiResponse {
  const table = ctx.table();
  if (!table.settings.hasHistory) throw bad(FACTS.historyOffMessage);
  return feed(ctx, table.history, (e) => ({
    id: String(e.id), changeType: FACTS.recordChangeTypes[e.type], changedAt: new Date(e.at).toISOString(),
  }));
}

function schemaChanges(ctx: Context): ApiResponse {
  const { store } = ctx;
  const cutoff = Math.max(store.createdAt, store.now() - FACTS.schemaRetentionDays * 86_400_000);
  return feed(ctx, store.schemaHistory, (e: SchemaChange) => ({
    action: FACTS.schemaActions[e.action], kind: e.kind, id: e.id, changedAt: new Date(e.at).toISOString(),
  }), { retentionCutoff: new Date(cutoff).toISOString() });
}

// ---------------------------------------------------------------- script, functions, views, reports (*ext.*)

function execScript(ctx: Context): ApiResponse {
  const { store } = ctx;
  const body = ctx.object();
  if (typeof body.moduleName !== 'string') throw bad('moduleName is required');
  if (typeof body.script !== 'string' || body.script.trim() === '') throw bad('script is required');
  const module = store.module(body.moduleName);
  let self: RecRef | undefined;
  if (body.tableName !== undefined || body.rowId !== undefined) {
    if (typeof body.tableName !== 'string') throw bad('rowId needs tableName');
    const table = store.table(module.name, body.tableName);
    if (body.rowId !== undefined) self = new RecRef(table.name, existing(table, recordId(body.rowId, true, 'rowId')).id);
  }
  try {
    return jsonResponse(200, { data: toJson(evaluate(parse(body.script), { host: moduleHost(store, module), self })) });
  } catch (e) {
    if (e instanceof ExprError) throw bad(`Script error at ${e.pos}: ${e.message}`);
    throw e;
  }
}

function viewSummary(store: Store, id: string): Record<string, unknown> {
  const v = store.views.get(id);
  if (!v) throw notFound('view', id);
  const module = store.modules.find((m) => m.id === v.moduleId) as Module;
  const table = module.tableById(v.tableId) as Table;
  return { id: v.id, name: v.name, labels: v.labels, moduleName: module.name, tableName: table.name, type: 'table' };
}

function viewJson(store: Store, id: string): unknown {
  const v = store.views.get(id);
  if (!v) throw notFound('view', id);
  const summary = viewSummary(store, id);
  const table = (store.modules.find((m) => m.id === v.moduleId) as Module).tableById(v.tableId) as Table;
  const name = (fid: string) => table.fieldById(fid)?.name;
  return {
    ...summary,
    columns: v.columns.map((fid) => table.fieldById(fid)).filter((f): f is Field => !!f)
      .map((f) => ({ fieldName: f.name, labels: f.labels, type: f.type })),
    ...(v.sort && name(v.sort.field) ? { sort: { fieldName: name(v.sort.field), descending: v.sort.descending } } : {}),
    ...(v.filter ? { filter: v.filter } : {}),
  };
}

function reportOf(store: Store, id: string): { report: Report; module: Module; table: Table } {
  const report = store.reports.get(id);
  if (!report) throw notFound('report', id);
  const module = store.modules.find((m) => m.id === report.moduleId) as Module;
  return { report, module, table: module.tableById(report.tableId) as Table };
}

function reportJson(store: Store, id: string, full: boolean): unknown {
  const { report, module, table } = reportOf(store, id);
  const out: Record<string, unknown> = { id: report.id, name: report.name, labels: report.labels, moduleName: module.name, tableName: table.name };
  if (full) {
    out.format = report.format;
    out.columns = report.columns.map((fid) => table.fieldById(fid)?.name).filter((n) => n !== undefined);
  }
  return out;
}

function printReport(ctx: Context): ApiResponse {
  const { store } = ctx;
  const { report, table } = reportOf(store, ctx.params.r);
  const body = ctx.object();
  if (body.rowId === undefined) throw bad('rowId is required');
  const ids = [recordId(body.rowId, true, 'rowId')];
  if (body.rowIds !== undefined) {
    if (!Array.isArray(body.rowIds)) throw bad('rowIds must be an array of record ids');
    ids.push(...body.rowIds.map((id, i) => recordId(id, true, `rowIds[${i}]`)));
  }
  if (ids.length > FACTS.maxPrintIds) throw bad(`At most ${FACTS.maxPrintIds} record ids can be printed at once (got ${ids.length})`);
  const records = ids.map((id) => existing(table, id));
  const columns = report.columns.map((fid) => table.fieldById(fid)).filter((f): f is Field => !!f);
  const pages = records.map((r) => columns.map((f) => {
    const value = readValue(store, table, f, r);
    return `${f.labels[''] ?? f.name}: ${value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value)}`;
  }));
  const fileName = `${report.name}.pdf`;
  const token = randomBytes(12).toString('hex');
  const expires = store.now() + FACTS.presignedUrlTtlSeconds * 1000;
  ctx.printed.set(token, { fileName, data: renderPdf(report.labels[''] ?? report.name, pages), expiresAt: expires });
  const signature = createHmac('sha256', ctx.options.secret).update(`${token}:${expires}`).digest('hex');
  const url = `${ctx.options.baseUrl}/presigned/reports/${token}/${encodeURIComponent(fileName)}`
    + `?X-Amz-Expires=${FACTS.presignedUrlTtlSeconds}&X-Amz-Date=${expires}&X-Amz-Signature=${signature}`;
  return jsonResponse(200, { data: { fileName, mimeType: 'application/pdf', url } });
}

/** GET /presigned/reports/{token}/{name}: no API key; a signature that must match; an expiry. */
export function presignedResponse(
  store: Store, printed: Map<string, PrintedFile>, options: RouteOptions, segments: string[], query: Record<string, string>,
  hasAuthorization: boolean,
): ApiResponse {
  const xml = (status: number, code: string, message: string): ApiResponse => ({
    status,
    headers: { 'content-type': 'application/xml' },
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`),
  });
  const token = segments[0] === 'reports' ? segments[1] ?? '' : '';
  const file = printed.get(token);
  const expected = file && createHmac('sha256', options.secret).update(`${token}:${query['X-Amz-Date']}`).digest('hex');
  if (!file || query['X-Amz-Signature'] !== expected || String(file.expiresAt) !== query['X-Amz-Date']) {
    return xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  if (FACTS.presignedRejectsAuthorization && hasAuthorization) {
    return xml(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
  }
  if (store.now() > file.expiresAt) return xml(403, 'AccessDenied', 'Request has expired');
  return {
    status: 200,
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${file.fileName}"` },
    body: file.data,
  };
}

// ---------------------------------------------------------------- the route table

interface Route {
  pattern: string[];
  handlers: Partial<Record<string, { handle: Handler; scope?: keyof typeof SCOPE_OF }>>;
}

const M = ['modules', ':m'];
const T = [...M, 'tables', ':t'];
const F = [...T, 'fields', ':f'];
const ok = (status: number, value: (ctx: Context) => unknown): Handler => (ctx) => jsonResponse(status, { data: value(ctx) });

const ROUTES: Route[] = [
  { pattern: [], handlers: { GET: { handle: ok(200, (c) => ({ name: c.store.name, modules: c.store.modules.map(moduleJson) })) } } },
  {
    pattern: ['modules'],
    handlers: {
      GET: { handle: (c) => c.list(c.store.modules, moduleJson) },
      POST: { handle: ok(201, (c) => moduleJson(c.store.addModule(c.json))), scope: 'schema' },
    },
  },
  {
    pattern: M,
    handlers: {
      GET: { handle: ok(200, (c) => moduleJson(c.module())) },
      PATCH: { handle: ok(200, (c) => moduleJson(c.store.updateModule(c.module(), c.json))), scope: 'schema' },
      DELETE: { handle: ok(200, (c) => ({ id: c.store.deleteModule(c.module()) })), scope: 'schema' },
    },
  },
  {
    pattern: [...M, 'functions'],
    handlers: {
      GET: { handle: (c) => { const m = c.module(); return c.list(m.functions, (f) => ({ ...f, moduleName: m.name })); } },
    },
  },
  {
    pattern: [...M, 'tables'],
    handlers: {
      GET: { handle: (c) => c.list(c.module().tables, tableJson) },
      POST: { handle: ok(201, (c) => tableJson(c.store.addTable(c.module(), c.json))), scope: 'schema' },
    },
  },
  {
    pattern: T,
    handlers: {
      GET: { handle: ok(200, (c) => tableJson(c.table())) },
      PATCH: { handle: ok(200, (c) => tableJson(c.store.updateTable(c.table(), c.json))), scope: 'schema' },
      DELETE: { handle: ok(200, (c) => ({ id: c.store.deleteTable(c.table()) })), scope: 'schema' },
    },
  },
  {
    pattern: [...T, 'fields'],
    handlers: {
      GET: { handle: (c) => c.list(c.table().fields, fieldJson) },
      POST: { handle: ok(201, (c) => fieldJson(c.store.addFields(c.table(), [c.json])[0])), scope: 'schema' },
    },
  },
  {
    pattern: [...T, 'fields', 'batch'],
    handlers: {
      POST: {
        handle: ok(201, (c) => c.store.addFields(c.table(), nonEmptyArray(c.json, 'Body')).map(fieldJson)),
        scope: 'schema',
      },
      DELETE: {
        handle: ok(200, (c) => c.store.deleteFields(c.table(), nonEmptyArray(c.object().fieldNames, 'fieldNames')).map(fieldJson)),
        scope: 'schema',
      },
    },
  },
  {
    pattern: F,
    handlers: {
      GET: { handle: ok(200, (c) => fieldJson(c.field().field)) },
      PATCH: { handle: ok(200, (c) => { const { table, field } = c.field(); return fieldJson(c.store.updateField(table, field, c.json)); }), scope: 'schema' },
      DELETE: { handle: ok(200, (c) => { const { table, field } = c.field(); return fieldJson(c.store.deleteFields(table, [field.name])[0]); }), scope: 'schema' },
    },
  },
  {
    pattern: [...T, 'records'],
    handlers: {
      GET: { handle: listRecords },
      POST: { handle: createRecords, scope: 'records' },
      PATCH: { handle: updateRecords, scope: 'records' },
      DELETE: { handle: deleteRecords, scope: 'records' },
    },
  },
  { pattern: [...T, 'records', 'upsert'], handlers: { POST: { handle: upsertRecords, scope: 'records' } } },
  { pattern: [...T, 'records', 'changes'], handlers: { GET: { handle: recordChanges } } },
  { pattern: [...T, 'records', 'import', 'csv'], handlers: { POST: { handle: importCsvRoute, scope: 'records' } } },
  { pattern: [...T, 'record', ':id'], handlers: { GET: { handle: getRecord } } },
  {
    pattern: [...T, 'views'],
    handlers: {
      GET: { handle: (c) => { const t = c.table(); return c.list([...c.store.views.values()].filter((v) => v.tableId === t.id), (v) => viewSummary(c.store, v.id)); } },
    },
  },
  { pattern: ['views', ':v'], handlers: { GET: { handle: ok(200, (c) => viewJson(c.store, c.params.v)) } } },
  {
    pattern: [...T, 'reports'],
    handlers: {
      GET: { handle: (c) => { const t = c.table(); return c.list([...c.store.reports.values()].filter((r) => r.tableId === t.id), (r) => reportJson(c.store, r.id, false)); } },
    },
  },
  { pattern: ['reports', ':r'], handlers: { GET: { handle: ok(200, (c) => reportJson(c.store, c.params.r, true)) } } },
  { pattern: ['reports', ':r', 'print'], handlers: { POST: { handle: printReport } } },
  { pattern: ['schema', 'changes'], handlers: { GET: { handle: schemaChanges } } },
  ...(FACTS.scriptExecAvailable ? [{ pattern: ['script', 'exec'], handlers: { POST: { handle: execScript, scope: 'records' as const } } }] : []),
];

export interface MatchedRoute {
  handle: Handler;
  scope?: keyof typeof SCOPE_OF;
  params: Record<string, string>;
}

/** The handler for a method and path, or undefined (the web app answers). A literal segment wins over a name. */
export function matchRoute(method: string, segments: string[]): MatchedRoute | undefined {
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length || !route.handlers[method]) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = route.pattern.every((p, i) => {
      if (p.startsWith(':')) { params[p.slice(1)] = segments[i]; return true; }
      literals += 1;
      return p === segments[i];
    });
    if (fits && (!best || literals > best.literals)) best = { route, params, literals };
  }
  if (!best) return undefined;
  const h = best.route.handlers[method] as { handle: Handler; scope?: keyof typeof SCOPE_OF };
  return { handle: h.handle, scope: h.scope, params: best.params };
}

/** The scopes a request needs: its route's, plus permissions when a schema write sets roles. */
function neededScopes(route: MatchedRoute, body: ParsedBody): Scope[] {
  if (!route.scope) return [];
  const scopes: Scope[] = [SCOPE_OF[route.scope]];
  if (route.scope === 'schema' && body.kind === 'json') {
    const bodies = Array.isArray(body.value) ? body.value : [body.value];
    if (bodies.some((b) => isObject(b) && ROLE_KEYS.some((k) => b[k] !== undefined))) scopes.push(SCOPE_OF.permissions);
  }
  return scopes;
}

export interface HandleInput {
  route: MatchedRoute;
  query: Record<string, string>;
  body: ParsedBody;
  scopes: readonly Scope[];
  options: RouteOptions;
  printed: Map<string, PrintedFile>;
}

/** Runs a matched, authorized request: 403 scope → 400 body → the handler. */
export function handleApiRequest(store: Store, input: HandleInput): ApiResponse {
  if (!neededScopes(input.route, input.body).every((s) => input.scopes.includes(s))) return errorResponse(403, FACTS.scopeMessage);
  if (input.body.kind === 'invalid') return errorResponse(400, input.body.message);
  try {
    return input.route.handle(new Context(store, input.route.params, input.query, input.body, input.options, input.printed));
  } catch (e) {
    if (e instanceof Ninox4Error) return errorResponse(e.status, e.message);
    console.error('[ninox 4 fake server] unexpected error:', e);
    return errorResponse(500, 'Internal server error');
  }
}
