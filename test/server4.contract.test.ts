/**
 * Contract test of the local Ninox 4 server: every endpoint of CONTRACT.md over real HTTP (undici), the happy
 * path and each quirk (names, transactions, limits, ids, text 401, HTML 200, scopes, 409, history off, paging,
 * CSV). If this passes, the Ninox 4 nodes' tests talk to something that behaves as the contract says.
 */
import { FormData, request } from 'undici';
import { DEMO4, FACTS, Ninox4Server, seedBulkTable, startNinox4Server } from './server4';

let server: Ninox4Server;

interface Reply<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  text: string;
  json: T;
}

interface CallOptions {
  json?: unknown;
  body?: string | Buffer | FormData;
  headers?: Record<string, string>;
  key?: string | null;   // null = no Authorization header
  on?: Ninox4Server;
  base?: string;          // instead of the workspace's API URL
}

async function api<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const target = options.on ?? server;
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? target.key : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  const res = await request(`${options.base ?? target.apiUrl}${path}`, { method: method as 'GET', headers, body });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, bytes, text, json: json as T };
}

const CRM = `/modules/${DEMO4.module}`;
const CONTACTS = `${CRM}/tables/${DEMO4.contacts}`;
const COMPANIES = `${CRM}/tables/${DEMO4.companies}`;
const label = (text: string) => ({ '': text });

interface Rec {
  id: string;
  values: Record<string, unknown>;
}
interface Page<T> {
  data: T[];
  meta?: Record<string, unknown>;
  page_info: { has_more: boolean; limit: number; offset: number };
}

beforeAll(async () => {
  server = await startNinox4Server();
});

afterAll(async () => {
  await server.close();
});

describe('key, workspace and routing', () => {
  it('answers a missing or wrong key with a plain-text 401', async () => {
    for (const key of [null, 'wrong-key']) {
      const r = await api('GET', '/modules', { key });
      expect(r.status).toBe(401);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.text).toBe('Workspace orchestrator error');
    }
    expect(server.log.at(-1)).toMatchObject({ status: 401, authorized: false, hasAuthorization: true });
  });

  it('takes a key only in its own workspace', async () => {
    const r = await api('GET', '', { base: `${server.url}/api/v1/workspace/zzzzzzzzzzzz` });
    expect(r.status).toBe(401);
    expect(r.text).toBe(FACTS.unauthorizedText);
  });

  it('answers an unknown path with the web app: 200 and HTML, with or without a key', async () => {
    for (const path of ['/nope', `${CONTACTS}/records/5`, `${CONTACTS}/fieldz`]) {
      const r = await api('GET', path);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.text).toMatch(/^<!DOCTYPE html>/);
    }
    expect((await api('GET', '/nope', { key: null })).status).toBe(200);
    expect((await api('PUT', `${CONTACTS}/records`, { json: {} })).headers['content-type']).toMatch(/^text\/html/);
    expect((await api('GET', '/api/v2/whatever', { base: server.url })).status).toBe(200);
  });

  it('gets the workspace with its modules, tables and fields', async () => {
    const r = await api('GET', '');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json.data.name).toBe(DEMO4.workspaceName);
    expect(r.json.data.modules.map((m: { name: string }) => m.name)).toEqual([DEMO4.module, DEMO4.projectsModule]);
    const crm = r.json.data.modules[0];
    expect(crm).toMatchObject({ labels: label('CRM'), isHidden: false, hideNavigation: false, openRoles: ['admin', 'editor'] });
    expect(crm.tables.map((t: { name: string }) => t.name)).toEqual(['companies', 'contacts', 'deals']);
    expect(crm.tables[1].fields.map((f: { type: string }) => f.type)).toEqual(expect.arrayContaining([
      'string', 'number', 'boolean', 'choice', 'multi', 'date', 'timestamp', 'reference', 'function', 'reverse',
    ]));
  });

  it('logs every request with what the tests count', async () => {
    server.clearLog();
    await api('GET', `${CONTACTS}/records?limit=3&offset=0`);
    await api('POST', `${CONTACTS}/records/nope`, { json: { a: 1 } });
    expect(server.log).toHaveLength(2);
    expect(server.log[0]).toMatchObject({
      method: 'GET', segments: ['modules', 'crm', 'tables', 'contacts', 'records'], workspaceId: DEMO4.workspaceId,
      query: { limit: '3', offset: '0' }, status: 200, authorized: true, body: undefined,
    });
    expect(server.log[0].rawPath).toBe(`/api/v1/workspace/${DEMO4.workspaceId}${CONTACTS}/records`);
    expect(server.log[1]).toMatchObject({ method: 'POST', body: { a: 1 }, status: 200, bodyBytes: 7 });
  });
});

describe('modules', () => {
  it('lists, creates (201), gets, renames and deletes a module', async () => {
    const list = await api('GET', '/modules');
    expect(list.json.data.map((m: { name: string }) => m.name)).toEqual(['crm', 'projects']);
    expect(list.json.page_info).toBeUndefined();

    const created = await api('POST', '/modules', { json: { name: 'events', labels: label('Events'), icon: { icon: 'favorite', color: '#bada55', filling: 0 }, tables: [] } });
    expect(created.status).toBe(201);
    expect(created.json.data).toEqual({
      name: 'events', labels: label('Events'), icon: { icon: 'favorite', color: '#bada55', filling: 0 }, isHidden: false,
      hideNavigation: false, openRoles: ['admin', 'editor'], tables: [],
    });
    expect((await api('GET', '/modules/events')).json.data.name).toBe('events');

    const renamed = await api('PATCH', '/modules/events', { json: { name: 'events_2026', isHidden: true } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.data).toMatchObject({ name: 'events_2026', isHidden: true, labels: label('Events') });
    expect((await api('GET', '/modules/events')).status).toBe(404);

    const deleted = await api('DELETE', '/modules/events_2026');
    expect(deleted.status).toBe(200);
    expect(deleted.json.data).toEqual({ id: expect.any(String) });
    const gone = await api('GET', '/modules/events_2026');
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: { message: expect.stringContaining('module-not-found') } });
  });

  it('refuses bad names (400) and a duplicate', async () => {
    for (const name of ['Events', 'my module', 'ü', '', 'a'.repeat(101), 'a-b', 42]) {
      const r = await api('POST', '/modules', { json: { name } });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/name/);
    }
    expect((await api('POST', '/modules', { json: { name: 'a'.repeat(100) } })).status).toBe(201);
    expect((await api('POST', '/modules', { json: { name: 'crm' } })).status).toBe(400);
    expect((await api('POST', '/modules', { json: {} })).status).toBe(400);
    expect((await api('PATCH', '/modules/crm', { json: { name: 'Not Valid' } })).status).toBe(400);
    expect((await api('PATCH', '/modules/crm', { json: { openRoles: ['owner'] } })).status).toBe(400);
    expect((await api('DELETE', `/modules/${'a'.repeat(100)}`)).status).toBe(200);
  });

  it('pages the list when asked (*ext.*)', async () => {
    const r = await api('GET', '/modules?limit=1&offset=1');
    expect(r.json.data.map((m: { name: string }) => m.name)).toEqual(['projects']);
    expect(r.json.page_info).toEqual({ has_more: false, limit: 1, offset: 1 });
    expect((await api('GET', '/modules?limit=101')).status).toBe(400);
  });

  it('reads a JSON body only with a JSON content type (DELETE too)', async () => {
    const body = JSON.stringify({ records: [1] });
    const r = await api('DELETE', `${CONTACTS}/records`, { body, headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(400);
    expect(server.log.at(-1)?.body).toBe(body);
    expect((await api('DELETE', `${CONTACTS}/records`, { body })).status).toBe(400);
    expect((await api('GET', `${CONTACTS}/record/1`)).status).toBe(200);
  });

  it('answers 400 for malformed JSON', async () => {
    const r = await api('POST', '/modules', { body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { message: 'Malformed JSON body' } });
  });
});

describe('tables', () => {
  it('creates (name and labels required), gets, updates and deletes a table', async () => {
    expect((await api('POST', `${CRM}/tables`, { json: { name: 'notes' } })).status).toBe(400);
    expect((await api('POST', `${CRM}/tables`, { json: { name: 'Notes', labels: label('Notes') } })).status).toBe(400);
    expect((await api('POST', `${CRM}/tables`, { json: { name: 'notes', labels: { '': '' } } })).status).toBe(400);
    const created = await api('POST', `${CRM}/tables`, { json: { name: 'notes', labels: label('Notes') } });
    expect(created.status).toBe(201);
    expect(created.json.data).toEqual({
      name: 'notes', labels: label('Notes'), hasFiles: false, hasGlobalSearch: false, hasHistory: FACTS.hasHistoryDefault,
      isEmailLinkingEnabled: false, isHidden: false, createRoles: ['admin', 'editor'], readRoles: ['admin', 'editor'],
      writeRoles: ['admin', 'editor'], deleteRoles: ['admin', 'editor'], fields: [],
    });
    expect((await api('POST', `${CRM}/tables`, { json: { name: 'notes', labels: label('Again') } })).status).toBe(400);
    const patched = await api('PATCH', `${CRM}/tables/notes`, { json: { hasHistory: true, icon: { icon: 'school', color: '#3381ff' }, deleteRoles: ['admin'] } });
    expect(patched.json.data).toMatchObject({ hasHistory: true, icon: { icon: 'school', color: '#3381ff' }, deleteRoles: ['admin'] });
    expect((await api('GET', `${CRM}/tables/notes`)).json.data.hasHistory).toBe(true);
    expect((await api('GET', `${CRM}/tables`)).json.data.map((t: { name: string }) => t.name)).toEqual(['companies', 'contacts', 'deals', 'notes']);
    const deleted = await api('DELETE', `${CRM}/tables/notes`);
    expect(deleted.json.data).toEqual({ id: expect.any(String) });
    const gone = await api('GET', `${CRM}/tables/notes`);
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toMatch(/table-not-found/);
    expect((await api('GET', '/modules/nope/tables')).status).toBe(404);
  });
});

describe('fields', () => {
  const T = `${CRM}/tables/field_lab`;
  beforeAll(async () => {
    expect((await api('POST', `${CRM}/tables`, { json: { name: 'field_lab', labels: label('Field lab') } })).status).toBe(201);
  });

  it('lists and gets the fields of a table', async () => {
    const fields = await api('GET', `${CONTACTS}/fields`);
    expect(fields.status).toBe(200);
    const status = fields.json.data.find((f: { name: string }) => f.name === 'status');
    expect(status).toMatchObject({
      name: 'status', labels: label('Status'), type: 'choice', index: false, required: false, search: false, unique: false,
      readRoles: ['admin', 'user'], writeRoles: ['admin', 'user'],
    });
    expect(status.options.map((o: { id: string; name: string; order: number }) => [typeof o.id, o.name, o.order]))
      .toEqual([['string', 'Lead', 0], ['string', 'Active', 1], ['string', 'Inactive', 2]]);
    const company = (await api('GET', `${CONTACTS}/fields/company`)).json.data;
    expect(company).toMatchObject({ type: 'reference', refTableId: expect.any(String) });
    expect((await api('GET', `${CONTACTS}/fields/full_name`)).json.data).toMatchObject({ type: 'function', expression: 'first_name + " " + last_name' });
    const missing = await api('GET', `${CONTACTS}/fields/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toMatch(/field-not-found/);
    const paged = await api('GET', `${CONTACTS}/fields?limit=2`);
    expect(paged.json.data).toHaveLength(2);
    expect(paged.json.page_info).toEqual({ has_more: true, limit: 2, offset: 0 });
  });

  it('creates a field of every type (201) with server-assigned option ids', async () => {
    const types = ['string', 'number', 'boolean', 'file', 'date', 'timestamp', 'time', 'timeinterval', 'appointment', 'icon', 'color', 'user'];
    for (const type of types) {
      const r = await api('POST', `${T}/fields`, { json: { name: `f_${type}`, labels: label(type), type } });
      expect([type, r.status]).toEqual([type, 201]);
      expect(r.json.data).toMatchObject({ name: `f_${type}`, type });
    }
    const choice = await api('POST', `${T}/fields`, { json: { name: 'f_choice', labels: label('Choice'), type: 'choice', options: [{ name: 'Gold', color: '#FFD700' }, { name: 'Silver' }] } });
    expect(choice.json.data.options).toEqual([
      { id: expect.any(String), name: 'Gold', order: 0, color: '#FFD700' }, { id: expect.any(String), name: 'Silver', order: 1 },
    ]);
    expect((await api('POST', `${T}/fields`, { json: { name: 'f_multi', labels: label('Multi'), type: 'multi', options: [{ name: 'A' }, { name: 'B' }] } })).status).toBe(201);
    const dchoice = await api('POST', `${T}/fields`, { json: { name: 'f_dchoice', labels: label('D'), type: 'dchoice', options: 'select contacts', optionName: 'text(last_name)' } });
    expect(dchoice.json.data).toMatchObject({ options: 'select contacts', optionName: 'text(last_name)' });
    expect((await api('POST', `${T}/fields`, { json: { name: 'f_dmulti', labels: label('D'), type: 'dmulti' } })).status).toBe(400);
    const email = await api('POST', `${T}/fields`, { json: { name: 'f_email', labels: label('Email'), type: 'string', variant: 'email', unique: true, readRoles: ['admin'] } });
    expect(email.json.data).toMatchObject({ variant: 'email', unique: true, readRoles: ['admin'] });
  });

  it('saves a function with a bad expression and reports expressionErrors', async () => {
    const good = await api('POST', `${T}/fields`, { json: { name: 'f_calc', labels: label('Calc'), type: 'function', expression: 'f_number * 2' } });
    expect(good.status).toBe(201);
    expect(good.json.data.expressionErrors).toBeUndefined();
    const broken = await api('POST', `${T}/fields`, { json: { name: 'f_broken', labels: label('Broken'), type: 'function', expression: 'f_number *\n  nope' } });
    expect(broken.status).toBe(201);
    expect(broken.json.data.expressionErrors).toEqual([{ line: 2, column: 3, message: 'unknown field nope' }]);
    const circle = await api('POST', `${T}/fields`, { json: { name: 'f_circle', labels: label('Circle'), type: 'function', expression: 'f_circle + 1' } });
    expect(circle.status).toBe(201);
    expect((await api('POST', `${T}/records`, { json: { records: [{ f_number: 21 }] } })).status).toBe(201);
    const values = (await api('GET', `${T}/records?limit=1`)).json.data[0].values;
    expect(values).toMatchObject({ f_calc: 42, f_broken: null, f_circle: null });
  });

  it('adds the reverse of a reference by itself; references stay in the module', async () => {
    const ref = await api('POST', `${T}/fields`, { json: { name: 'f_company', labels: label('Company'), type: 'reference', refTableName: 'companies' } });
    expect(ref.status).toBe(201);
    const companyFields = (await api('GET', `${COMPANIES}/fields`)).json.data;
    expect(companyFields.find((f: { name: string }) => f.name === 'field_lab')).toMatchObject({ type: 'reverse', refTableId: expect.any(String) });
    const outside = await api('POST', `${T}/fields`, { json: { name: 'f_task', labels: label('Task'), type: 'reference', refTableName: 'tasks' } });
    expect(outside.status).toBe(404);
    expect(outside.json.error.message).toMatch(/table-not-found/);
  });

  it('refuses bad field bodies', async () => {
    const cases: unknown[] = [
      { name: 'Bad Name', labels: label('x'), type: 'string' },
      { name: 'no_labels', type: 'string' },
      { name: 'no_type', labels: label('x') },
      { name: 'bad_type', labels: label('x'), type: 'location' },   // *obs.* a variant, not a type
      { name: 'bad_variant', labels: label('x'), type: 'number', variant: 'email' },
      { name: 'extra', labels: label('x'), type: 'string', color: 'red' },
      { name: 'f_string', labels: label('dup'), type: 'string' },
      { name: 'opts', labels: label('x'), type: 'number', options: [{ name: 'A' }] },
    ];
    for (const json of cases) expect([json, (await api('POST', `${T}/fields`, { json })).status]).toEqual([json, 400]);
  });

  it('updates a field: rename, options replaced (kept ids stay), no type change', async () => {
    const before = (await api('GET', `${T}/fields/f_choice`)).json.data.options;
    const r = await api('PATCH', `${T}/fields/f_choice`, { json: { name: 'f_tier', options: [{ id: before[0].id, name: 'Gold', order: 0 }, { name: 'Bronze', order: 1 }] } });
    expect(r.status).toBe(200);
    expect(r.json.data.name).toBe('f_tier');
    expect(r.json.data.options).toEqual([{ id: before[0].id, name: 'Gold', order: 0 }, { id: expect.any(String), name: 'Bronze', order: 1 }]);
    expect(r.json.data.options[1].id).not.toBe(before[1].id);
    for (const json of [{ type: 'number' }, { variant: 'url' }, { refTableName: 'contacts' }, { options: 'select x' }, { optionName: 'x' }, { name: 'f_number' }]) {
      expect([json, (await api('PATCH', `${T}/fields/f_tier`, { json })).status]).toEqual([json, 400]);
    }
    expect((await api('PATCH', `${T}/fields/f_number`, { json: { options: [{ name: 'A' }] } })).status).toBe(400);
    expect((await api('PATCH', `${T}/fields/nope`, { json: { required: true } })).status).toBe(404);
    expect((await api('PATCH', `${T}/fields/f_number`, { json: { required: true, labels: { '': 'Amount', de: 'Betrag' } } })).json.data)
      .toMatchObject({ required: true, labels: { '': 'Amount', de: 'Betrag' } });
  });

  it('creates a batch in one transaction (201) and rolls it back on one bad field', async () => {
    const ok = await api('POST', `${T}/fields/batch`, { json: [{ name: 'b_one', labels: label('1'), type: 'string' }, { name: 'b_two', labels: label('2'), type: 'number' }] });
    expect(ok.status).toBe(201);
    expect(ok.json.data.map((f: { name: string }) => f.name)).toEqual(['b_one', 'b_two']);
    const bad = await api('POST', `${T}/fields/batch`, { json: [{ name: 'b_three', labels: label('3'), type: 'string' }, { name: 'b_three', labels: label('3'), type: 'string' }] });
    expect(bad.status).toBe(400);
    expect((await api('GET', `${T}/fields/b_three`)).status).toBe(404);
    expect((await api('POST', `${T}/fields/batch`, { json: [] })).status).toBe(400);
    expect((await api('POST', `${T}/fields/batch`, { json: { name: 'x' } })).status).toBe(400);
  });

  it('deletes one field and a batch (all or nothing); a reference takes its reverse along', async () => {
    const one = await api('DELETE', `${T}/fields/b_one`);
    expect(one.status).toBe(200);
    expect(one.json.data).toMatchObject({ name: 'b_one', type: 'string' });
    const bad = await api('DELETE', `${T}/fields/batch`, { json: { fieldNames: ['b_two', 'nope'] } });
    expect(bad.status).toBe(404);
    expect((await api('GET', `${T}/fields/b_two`)).status).toBe(200);
    const batch = await api('DELETE', `${T}/fields/batch`, { json: { fieldNames: ['b_two', 'f_company'] } });
    expect(batch.status).toBe(200);
    expect(batch.json.data.map((f: { name: string }) => f.name)).toEqual(['b_two', 'f_company']);
    const companyFields = (await api('GET', `${COMPANIES}/fields`)).json.data;
    expect(companyFields.find((f: { name: string }) => f.name === 'field_lab')).toBeUndefined();
    expect((await api('DELETE', `${T}/fields/batch`, { json: { fieldNames: [] } })).status).toBe(400);
  });
});

describe('records: reading', () => {
  it('pages with offset/limit until has_more is false; ids are strings; no system fields', async () => {
    const first = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&offset=0`);
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(100);
    expect(first.json.page_info).toEqual({ has_more: true, limit: 100, offset: 0 });
    expect(first.json.meta).toBeUndefined();
    expect(first.json.data[0].id).toBe('1');
    expect(Object.keys(first.json.data[0])).toEqual(['id', 'values']);
    expect(first.json.data[0].values).toEqual({
      first_name: expect.any(String), last_name: expect.any(String), email: expect.stringMatching(/@example\.com$/),
      phone: expect.any(String), score: expect.any(Number), subscribed: expect.any(Boolean), status: expect.stringMatching(/^(Lead|Active|Inactive)$/),
      tags: expect.any(Array), birthday: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), last_contact: expect.stringMatching(/Z$/),
      company: expect.stringMatching(/^\d+$/), full_name: `${first.json.data[0].values.first_name} ${first.json.data[0].values.last_name}`,
      notes: null, deals: expect.any(Array),
    });
    const last = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&offset=200`);
    expect(last.json.page_info.has_more).toBe(false);
    expect(last.json.data.at(-1)?.id).toBe(String(DEMO4.contactCount));
    const beyond = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&offset=5000`);
    expect(beyond.json).toMatchObject({ data: [], page_info: { has_more: false } });
  });

  it('refuses a limit outside 1–100 and a bad offset; an absent limit is the odd default', async () => {
    for (const q of ['limit=101', 'limit=0', 'limit=abc', 'offset=-1', 'offset=1.5']) {
      expect([q, (await api('GET', `${CONTACTS}/records?${q}`)).status]).toEqual([q, 400]);
    }
    const dflt = await api<Page<Rec>>('GET', `${CONTACTS}/records`);
    expect(dflt.json.data).toHaveLength(FACTS.defaultPageLimit);
    expect(dflt.json.page_info.limit).toBe(FACTS.defaultPageLimit);
  });

  it('filters by equality on field names (keys ANDed), sorts by one field, echoes them in meta', async () => {
    const filter = { status: 'Lead', subscribed: true };
    const r = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&filter=${encodeURIComponent(JSON.stringify(filter))}&sort=score`);
    expect(r.status).toBe(200);
    expect(r.json.meta).toEqual({ filter, sort: 'score' });
    expect(r.json.data.length).toBeGreaterThan(5);
    expect(r.json.data.every((x) => x.values.status === 'Lead' && x.values.subscribed === true)).toBe(true);
    const scores = r.json.data.map((x) => x.values.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    for (const company of ['"1"', '1']) {
      const byRef = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&filter=${encodeURIComponent(`{"company":${company}}`)}`);
      expect(byRef.json.data.length).toBeGreaterThan(0);
      expect(byRef.json.data.every((x) => x.values.company === '1')).toBe(true);
    }
    const tag = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&filter=${encodeURIComponent('{"tags":"VIP"}')}`);
    expect(tag.json.data.length).toBeGreaterThan(0);
    expect(tag.json.data.every((x) => (x.values.tags as string[]).includes('VIP'))).toBe(true);
  });

  it('answers 404 field-not-found for a filter on id or an unknown field or sort; 400 for a filter that is not JSON', async () => {
    const onId = await api('GET', `${CONTACTS}/records?filter=${encodeURIComponent('{"id":"1"}')}`);
    expect(onId.status).toBe(FACTS.filterOnIdStatus);
    expect(onId.json.error.message).toMatch(/field-not-found: id/);
    expect((await api('GET', `${CONTACTS}/records?filter=${encodeURIComponent('{"nope":1}')}`)).status).toBe(404);
    expect((await api('GET', `${CONTACTS}/records?sort=nope`)).status).toBe(404);
    expect((await api('GET', `${CONTACTS}/records?filter=nope`)).status).toBe(400);
    expect((await api('GET', `${CONTACTS}/records?filter=${encodeURIComponent('[1]')}`)).status).toBe(400);
  });

  it('accepts the deprecated filters alias (*ext.*) and sorts empty values last', async () => {
    const alias = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&filters=${encodeURIComponent('{"status":"Active"}')}`);
    expect(alias.json.data.length).toBeGreaterThan(0);
    expect(alias.json.data.every((x) => x.values.status === 'Active')).toBe(true);
    const byNotes = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&offset=0&sort=notes`);
    const notes = byNotes.json.data.map((x) => x.values.notes);
    expect(notes.slice(0, DEMO4.contactCount / 10).every((n) => typeof n === 'string')).toBe(true);
    expect(notes.at(-1)).toBeNull();
  });

  it('projects fields (a reference reads null then, *obs.*)', async () => {
    const r = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=2&fields=email,company`);
    expect(r.json.data[0].values).toEqual({ email: expect.any(String), company: null });
    expect((await api('GET', `${CONTACTS}/records?fields=email,nope`)).status).toBe(404);
  });

  it('gets one record (*ext.* record/{id}), with fields', async () => {
    const r = await api<{ data: Rec }>('GET', `${COMPANIES}/record/1`);
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual({ id: '1', values: expect.objectContaining({ name: 'Apricote AG', industry: 'Software', revenue: 1250000.5 }) });
    expect((r.json.data.values.contacts as string[]).every((id) => /^\d+$/.test(id))).toBe(true);
    expect((await api('GET', `${COMPANIES}/record/1?fields=city`)).json.data).toEqual({ id: '1', values: { city: 'Berlin' } });
    expect((await api('GET', `${COMPANIES}/record/999`)).status).toBe(404);
    expect((await api('GET', `${COMPANIES}/record/abc`)).status).toBe(404);
  });
});

describe('records: writing', () => {
  let lab: Ninox4Server;
  const TYPES = '/modules/lab/tables/things';
  beforeAll(async () => {
    lab = await startNinox4Server({ seed: 'empty' });
    const call = (method: string, path: string, json: unknown) => api(method, path, { json, on: lab });
    expect((await call('POST', '/modules', { name: 'lab' })).status).toBe(201);
    expect((await call('POST', '/modules/lab/tables', { name: 'things', labels: label('Things'), hasHistory: true })).status).toBe(201);
    expect((await call('POST', '/modules/lab/tables', { name: 'owners', labels: label('Owners') })).status).toBe(201);
    expect((await call('POST', '/modules/lab/tables/owners/records', { records: [{}, {}] })).status).toBe(201);
    const fields = [
      ['text', 'string'], ['amount', 'number'], ['flag', 'boolean'], ['day', 'date'], ['moment', 'timestamp'], ['slot', 'appointment'],
      ['at', 'time'], ['span', 'timeinterval'], ['tint', 'color'], ['symbol', 'icon'], ['doc', 'file'], ['person', 'user'],
    ].map(([name, type]) => ({ name, labels: label(name), type }));
    fields.push(
      { name: 'tier', labels: label('Tier'), type: 'choice', options: [{ name: 'Gold' }, { name: 'Silver' }] } as never,
      { name: 'tags', labels: label('Tags'), type: 'multi', options: [{ name: 'A' }, { name: 'B' }] } as never,
      { name: 'owner', labels: label('Owner'), type: 'reference', refTableName: 'owners' } as never,
      { name: 'label', labels: label('Label'), type: 'function', expression: 'text + "!"' } as never,
    );
    expect((await call('POST', `${TYPES}/fields/batch`, fields)).status).toBe(201);
  });
  afterAll(() => lab.close());
  const on = (method: string, path: string, json: unknown) => api(method, path, { json, on: lab });

  it('creates records (201, string ids in input order) and reads every type back', async () => {
    const r = await on('POST', `${TYPES}/records`, {
      records: [
        {
          text: 'Hello world', amount: '42.5', flag: true, day: '2024-02-15', moment: '2024-02-15T13:45:30Z',
          slot: '[2024-02-15T09:00:00Z,2024-02-15T10:00:00Z)', at: '09:30', span: '09:00-17:00', tint: '#ffcc00',
          symbol: 'check-circle', doc: 'file_123', person: 'user_123', tier: 'Gold', tags: ['A', 'B'], owner: 2,
        },
        { text: 'second', owner: '1', tier: ['Silver'], moment: 1707997530000, day: 1707997530000 },
        {},
      ],
    });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ data: { ids: ['1', '2', '3'] } });
    const one = (await api('GET', `${TYPES}/record/1`, { on: lab })).json.data.values;
    expect(one).toEqual({
      text: 'Hello world', amount: 42.5, flag: true, day: '2024-02-15', moment: '2024-02-15T13:45:30.000Z',
      slot: '[2024-02-15T09:00:00.000Z,2024-02-15T10:00:00.000Z)', at: '09:30', span: '09:00-17:00', tint: '#ffcc00',
      symbol: 'check-circle', doc: 'file_123', person: 'user_123', tier: 'Gold', tags: ['A', 'B'], owner: '2', label: 'Hello world!',
    });
    const two = (await api('GET', `${TYPES}/record/2`, { on: lab })).json.data.values;
    expect(two).toMatchObject({ owner: '1', tier: 'Silver', moment: '2024-02-15T11:45:30.000Z', day: '2024-02-15', flag: null });
    const owners = (await api('GET', '/modules/lab/tables/owners/record/2', { on: lab })).json.data.values;
    expect(owners).toEqual({ things: ['1'] });
  });

  it('refuses what the type table refuses (400), and creates nothing then', async () => {
    const bad: Array<Record<string, unknown>> = [
      { flag: 1 }, { flag: 'true' }, { tags: 'A' }, { tags: ['C'] }, { tier: 'gold' }, { tier: ['Gold', 'Silver'] },
      { amount: 'abc' }, { amount: { n: 1 } }, { day: '2024-02-30' }, { moment: '2024-02-15 13:45' }, { slot: '2024-02-15T09:00:00Z' },
      { owner: 99 }, { owner: 'x' }, { label: 'x' }, { nope: 1 }, { text: 5 }, { id: 1 },
    ];
    const before = lab.store.table('lab', 'things').records.size;
    for (const record of bad) {
      const r = await on('POST', `${TYPES}/records`, { records: [{ text: 'fine' }, record] });
      expect([record, r.status]).toEqual([record, 400]);
      expect(r.json.error.message).toEqual(expect.any(String));
    }
    expect(lab.store.table('lab', 'things').records.size).toBe(before);
    expect((await on('POST', `${TYPES}/records`, { records: [] })).status).toBe(400);
    expect((await on('POST', `${TYPES}/records`, [{ text: 'x' }])).status).toBe(400);
    expect((await on('POST', '/modules/lab/tables/nope/records', { records: [{}] })).status).toBe(404);
  });

  it('updates in one transaction: one bad or missing record changes nothing', async () => {
    const ok = await on('PATCH', `${TYPES}/records`, { records: [{ id: 1, amount: 1 }, { id: 2, text: 'changed', tier: null }] });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ data: { updatedIds: ['1', '2'] } });
    const two = (await api('GET', `${TYPES}/record/2`, { on: lab })).json.data.values;
    expect(two).toMatchObject({ text: 'changed', tier: null, owner: '1' });

    const missing = await on('PATCH', `${TYPES}/records`, { records: [{ id: 1, amount: 2 }, { id: 999, amount: 3 }] });
    expect(missing.status).toBe(404);
    const badValue = await on('PATCH', `${TYPES}/records`, { records: [{ id: 1, amount: 2 }, { id: 2, flag: 0 }] });
    expect(badValue.status).toBe(400);
    expect((await api('GET', `${TYPES}/record/1`, { on: lab })).json.data.values.amount).toBe(1);
    for (const id of ['1', 0, -1, 1.5, undefined, 2 ** 53]) {
      expect([id, (await on('PATCH', `${TYPES}/records`, { records: [{ id, amount: 5 }] })).status]).toEqual([id, 400]);
    }
  });

  it('deletes in one transaction, not idempotently; ids as numbers or numeric strings (*obs.*)', async () => {
    const created = await on('POST', `${TYPES}/records`, { records: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
    const [a, b, c] = created.json.data.ids.map(Number);
    const partly = await on('DELETE', `${TYPES}/records`, { records: [a, 9999] });
    expect(partly.status).toBe(404);
    expect((await api('GET', `${TYPES}/record/${a}`, { on: lab })).status).toBe(200);
    const ok = await on('DELETE', `${TYPES}/records`, { records: [a, String(b)] });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ data: { deletedIds: [String(a), String(b)] } });
    expect((await on('DELETE', `${TYPES}/records`, { records: [a] })).status).toBe(404);
    expect((await on('DELETE', `${TYPES}/records`, { records: [c, c] })).status).toBe(400);
    expect((await on('DELETE', `${TYPES}/records`, { records: [] })).status).toBe(400);
    expect((await on('DELETE', `${TYPES}/records`, { records: ['x'] })).status).toBe(400);
    expect((await api('GET', `${TYPES}/record/${c}`, { on: lab })).status).toBe(200);
  });

  it('refuses a JSON body over 6 MB with 413 and applies nothing', async () => {
    const before = lab.store.table('lab', 'things').records.size;
    const big = 'x'.repeat(1024 * 1024);
    const json = { records: Array.from({ length: 7 }, () => ({ text: big })) };
    for (const method of ['POST', 'PATCH']) {
      const r = await on(method, `${TYPES}/records`, json);
      expect(r.status).toBe(413);
      expect(r.json.error.message).toMatch(/6 MB/);
    }
    expect(lab.store.table('lab', 'things').records.size).toBe(before);
    const under = { records: Array.from({ length: 5 }, () => ({ text: big })) };
    expect((await on('POST', `${TYPES}/records`, under)).status).toBe(201);
  });
});

describe('scopes (*ext.*)', () => {
  it('lets a key without scopes read, and answers its writes 403', async () => {
    server.addKey('read-only-key', []);
    const key = 'read-only-key';
    expect((await api('GET', `${CONTACTS}/records?limit=1`, { key })).status).toBe(200);
    const writes: Array<[string, string, unknown]> = [
      ['POST', `${CONTACTS}/records`, { records: [{ first_name: 'x' }] }],
      ['PATCH', `${CONTACTS}/records`, { records: [{ id: 1, score: 1 }] }],
      ['DELETE', `${CONTACTS}/records`, { records: [1] }],
      ['POST', '/modules', { name: 'x' }],
      ['DELETE', '/modules/crm', undefined],
      ['POST', `${CONTACTS}/fields`, { name: 'x', labels: label('x'), type: 'string' }],
    ];
    for (const [method, path, json] of writes) {
      const r = await api(method, path, { key, json });
      expect([method, path, r.status]).toEqual([method, path, 403]);
      expect(r.json).toEqual({ error: { message: 'Insufficient API key scope' } });
    }
    expect(server.log.at(-1)?.authorized).toBe(false);
    expect((await api('GET', `${CONTACTS}/record/1`, { key })).json.data.values.score).not.toBe(1);
  });

  it('needs schema:manage-permissions to set roles', async () => {
    server.addKey('schema-key', ['schema:write']);
    const key = 'schema-key';
    expect((await api('POST', '/modules', { key, json: { name: 'scoped', openRoles: ['admin'] } })).status).toBe(403);
    expect((await api('POST', '/modules', { key, json: { name: 'scoped' } })).status).toBe(201);
    expect((await api('POST', `${CONTACTS}/records`, { key, json: { records: [{}] } })).status).toBe(403);
    server.addKey('permissions-key', ['schema:write', 'schema:manage-permissions']);
    expect((await api('PATCH', '/modules/scoped', { key: 'permissions-key', json: { openRoles: ['admin'] } })).status).toBe(200);
    expect((await api('DELETE', '/modules/scoped', { key })).status).toBe(200);
  });
});

describe('a large table', () => {
  it('lists 100 000 records in 1 000 pages of 100, each record once', async () => {
    const big = await startNinox4Server({ seed: 'empty' });
    try {
      seedBulkTable(big.store, { count: 100_000 });
      big.clearLog();
      const seen = new Set<string>();
      for (let offset = 0; ; offset += 100) {
        const page = await api<Page<Rec>>('GET', `/modules/bench/tables/bulk/records?limit=100&offset=${offset}`, { on: big });
        for (const r of page.json.data) seen.add(r.id);
        if (!page.json.page_info.has_more) break;
      }
      expect(seen.size).toBe(100_000);
      expect(big.log).toHaveLength(1000);
      const last = await api<{ data: Rec }>('GET', '/modules/bench/tables/bulk/record/100000', { on: big });
      expect(last.json.data.values).toEqual({
        name: 'Record 100000', amount: 150000, active: false, category: 'A', email: 'record100000@example.com',
        happened: expect.stringMatching(/Z$/),
      });
    } finally {
      await big.close();
    }
  });
});

describe('records: create or update by a unique field (*ext.* records/upsert)', () => {
  it('updates the match and creates the rest (200); a value twice in one batch is one record', async () => {
    const existing = (await api<{ data: Rec }>('GET', `${CONTACTS}/record/5`)).json.data;
    const r = await api('POST', `${CONTACTS}/records/upsert`, {
      json: {
        matchField: 'email',
        records: [
          { email: existing.values.email, score: 99 },
          { email: 'new.person@example.com', last_name: 'Person', status: 'Lead' },
          { email: 'new.person@example.com', first_name: 'New' },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.json.data.updatedIds).toEqual(['5']);
    expect(r.json.data.createdIds).toHaveLength(1);
    expect((await api('GET', `${CONTACTS}/record/5`)).json.data.values.score).toBe(99);
    const created = (await api('GET', `${CONTACTS}/record/${r.json.data.createdIds[0]}`)).json.data.values;
    expect(created).toMatchObject({ email: 'new.person@example.com', first_name: 'New', last_name: 'Person', full_name: 'New Person' });
  });

  it('answers 409 when a value matches two records, naming it, and changes nothing', async () => {
    // uniqueness is not enforced on writes, so two records can share a "unique" value
    const dup = await api('POST', `${CONTACTS}/records`, { json: { records: [{ email: 'twice@example.com', score: 1 }, { email: 'twice@example.com', score: 2 }] } });
    expect(dup.status).toBe(201);
    const r = await api('POST', `${CONTACTS}/records/upsert`, { json: { matchField: 'email', records: [{ email: 'fresh@example.com' }, { email: 'twice@example.com', score: 3 }] } });
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/twice@example\.com/);
    const after = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=10&filter=${encodeURIComponent('{"email":"fresh@example.com"}')}`);
    expect(after.json.data).toEqual([]);
  });

  it('refuses a match field that is not unique or missing, and a record without its value (400)', async () => {
    expect((await api('POST', `${CONTACTS}/records/upsert`, { json: { matchField: 'last_name', records: [{ last_name: 'x' }] } })).status).toBe(400);
    expect((await api('POST', `${CONTACTS}/records/upsert`, { json: { matchField: 'nope', records: [{ nope: 'x' }] } })).status).toBe(404);
    expect((await api('POST', `${CONTACTS}/records/upsert`, { json: { records: [{ email: 'x' }] } })).status).toBe(400);
    expect((await api('POST', `${CONTACTS}/records/upsert`, { json: { matchField: 'email', records: [{ score: 1 }] } })).status).toBe(400);
    expect((await api('POST', `${CONTACTS}/records/upsert`, { json: { matchField: 'email', records: [] } })).status).toBe(400);
  });
});

describe('the change feeds (*ext.*)', () => {
  let feed: Ninox4Server;
  const T = `${CRM}/tables/${DEMO4.deals}`;
  beforeAll(async () => {
    feed = await startNinox4Server();
  });
  afterAll(() => feed.close());
  const on = (method: string, path: string, json?: unknown) => api(method, path, { json, on: feed });

  it('pages the record changes since a time with asOf fixed by page 1; the next since is meta.asOf', async () => {
    const since = '2025-01-01T00:00:00Z';
    const first = await on('GET', `${T}/records/changes?since=${since}&limit=30`);
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(30);
    expect(first.json.data[0]).toEqual({ id: '1', changeType: 'create', changedAt: expect.stringMatching(/^2026-.*Z$/) });
    expect(first.json.page_info).toEqual({ has_more: true, limit: 30, offset: 0 });
    const asOf = first.json.meta.asOf as string;
    expect(asOf).toMatch(/Z$/);

    await on('POST', `${T}/records`, { records: [{ title: 'after page 1' }] });   // not in this snapshot
    const second = await on('GET', `${T}/records/changes?since=${since}&asOf=${asOf}&limit=30&offset=30`);
    expect(second.json.data).toHaveLength(DEMO4.dealCount - 30);
    expect(second.json.page_info.has_more).toBe(false);
    expect(second.json.meta.asOf).toBe(asOf);

    await on('PATCH', `${T}/records`, { records: [{ id: 3, amount: 1 }] });
    await on('DELETE', `${T}/records`, { records: [4] });
    const next = await on('GET', `${T}/records/changes?since=${asOf}&limit=100`);
    expect(next.json.data.map((c: { id: string; changeType: string }) => [c.id, c.changeType])).toEqual([
      [String(DEMO4.dealCount + 1), 'create'], ['3', 'update'], ['4', 'delete'],
    ]);
    const idle = await on('GET', `${T}/records/changes?since=${next.json.meta.asOf}&limit=100`);
    expect(idle.json).toMatchObject({ data: [], page_info: { has_more: false } });
  });

  it('answers 400 without since, for a time that is not UTC ISO, and when the table has history off', async () => {
    expect((await on('GET', `${T}/records/changes`)).status).toBe(400);
    expect((await on('GET', `${T}/records/changes?since=2026-01-01`)).status).toBe(400);
    expect((await on('GET', `${T}/records/changes?since=2026-01-01T00:00:00%2B01:00`)).status).toBe(400);
    expect((await on('GET', `${T}/records/changes?since=2026-01-01T00:00:00Z&limit=101`)).status).toBe(400);
    const off = await on('GET', `/modules/${DEMO4.projectsModule}/tables/${DEMO4.tasks}/records/changes?since=2026-01-01T00:00:00Z`);
    expect(off.status).toBe(400);
    expect(off.json.error.message).toBe(FACTS.historyOffMessage);
  });

  it('records changes only while history is on', async () => {
    const tasks = `/modules/${DEMO4.projectsModule}/tables/${DEMO4.tasks}`;
    await on('PATCH', `${tasks}/records`, { records: [{ id: 1, done: true }] });   // history off: not kept
    await on('PATCH', tasks, { hasHistory: true });
    const start = (await on('GET', `${tasks}/records/changes?since=2020-01-01T00:00:00Z`)).json;
    expect(start.data).toEqual([]);
    await on('PATCH', `${tasks}/records`, { records: [{ id: 2, done: true }] });
    const after = await on('GET', `${tasks}/records/changes?since=${start.meta.asOf}`);
    expect(after.json.data.map((c: { id: string }) => c.id)).toEqual(['2']);
  });

  it('lists schema changes with a retention cutoff; 400 without since', async () => {
    const before = (await on('GET', '/schema/changes?since=2020-01-01T00:00:00Z&limit=1')).json;
    expect(before.meta).toEqual({ asOf: expect.stringMatching(/Z$/), retentionCutoff: expect.stringMatching(/Z$/) });
    expect(before.page_info.has_more).toBe(true);
    await on('POST', '/modules', { name: 'fresh' });
    await on('POST', '/modules/fresh/tables', { name: 'things', labels: label('Things') });
    await on('DELETE', '/modules/fresh/tables/things');
    const r = await on('GET', `/schema/changes?since=${before.meta.asOf}`);
    expect(r.status).toBe(200);
    expect(r.json.data.map((c: { action: string; kind: string }) => [c.action, c.kind])).toEqual([['created', 'Module'], ['created', 'Table'], ['deleted', 'Table']]);
    expect(r.json.data[0]).toEqual({ action: 'created', kind: 'Module', id: expect.any(String), changedAt: expect.stringMatching(/Z$/) });
    expect((await on('GET', '/schema/changes')).status).toBe(400);
  });
});

describe('CSV import', () => {
  let csv: Ninox4Server;
  const T = `${CRM}/tables/${DEMO4.companies}`;
  beforeAll(async () => {
    csv = await startNinox4Server();
  });
  afterAll(() => csv.close());

  function form(file: Buffer | string | undefined, fields: Record<string, string> = {}, fileName = 'import.csv'): FormData {
    const f = new FormData();
    if (file !== undefined) f.append('file', new Blob([typeof file === 'string' ? Buffer.from(file) : file], { type: 'text/csv' }), fileName);
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  }
  const post = (body: FormData) => api('POST', `${T}/records/import/csv`, { body, on: csv });
  const count = () => csv.store.table(DEMO4.module, DEMO4.companies).records.size;

  it('appends rows with headers matched to field names in any case (201, counts)', async () => {
    const before = count();
    const r = await post(form('Name,CITY,revenue,ignored\nAlpha,Rome,"1,200.50",x\n"Beta, Inc",Paris,3,y\n'));
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ data: { rowsImported: 2, rowsSkipped: 0, rowsUpdated: 0 } });
    expect(count()).toBe(before + 2);
    const rows = await api<Page<Rec>>('GET', `${T}/records?limit=100&filter=${encodeURIComponent('{"city":"Paris"}')}`, { on: csv });
    expect(rows.json.data[0].values).toMatchObject({ name: 'Beta, Inc', revenue: 3 });
    expect(csv.log.at(-2)?.body).toMatchObject({ multipart: { files: [{ name: 'file', filename: 'import.csv' }] } });
  });

  it('skips a row that does not convert and counts it (per row, *obs.*)', async () => {
    const r = await post(form('name;industry;revenue\nGamma;Software;10\nDelta;Bakery;20\nEpsilon;;abc\n', { delimiter: ';' }));
    expect(r.json.data).toEqual({ rowsImported: 1, rowsSkipped: 2, rowsUpdated: 0 });
  });

  it('updates by a key mapping; unmatched rows are skipped in update mode and created in upsert mode', async () => {
    const mappings = JSON.stringify([
      { csvColumnName: 'Company', fieldName: 'name', updatePolicy: 'key' },
      { csvColumnName: 'Town', fieldName: 'city' },
    ]);
    const update = await post(form('Company,Town\nApricote AG,Potsdam\nNobody Ltd,Nowhere\n', { importMode: 'update', mappings }));
    expect(update.json.data).toEqual({ rowsImported: 0, rowsSkipped: 1, rowsUpdated: 1 });
    expect((await api('GET', `${T}/record/1`, { on: csv })).json.data.values.city).toBe('Potsdam');
    const upsert = await post(form('Company,Town\nApricote AG,Berlin\nNobody Ltd,Nowhere\n', { importMode: 'upsert', mappings }));
    expect(upsert.json.data).toEqual({ rowsImported: 1, rowsSkipped: 0, rowsUpdated: 1 });
    const twice = await post(form('Company,Town\nTwice AG,One\nTwice AG,Two\n', { importMode: 'upsert', mappings }));
    expect(twice.json.data).toEqual({ rowsImported: 1, rowsSkipped: 0, rowsUpdated: 1 });
    const append = await post(form('Company,Town\nApricote AG,Again\n', { importMode: 'append', mappings }));
    expect(append.json.data).toEqual({ rowsImported: 1, rowsSkipped: 0, rowsUpdated: 0 });
    expect((await api('GET', `${T}/record/1`, { on: csv })).json.data.values.city).toBe('Berlin');
    const noKey = await post(form('Company,Town\nX,Y\n', { importMode: 'update' }));
    expect(noKey.status).toBe(400);
    expect(noKey.json.error.message).toMatch(/key/);
  });

  it('reads european numbers, latin1, utf16, windows-1252 and headerless files', async () => {
    const euro = await post(form('name,revenue\nEuro GmbH,"1.234,56"\n', { numberFormat: 'european' }));
    expect(euro.json.data.rowsImported).toBe(1);
    const find = async (name: string) => (await api<Page<Rec>>('GET', `${T}/records?limit=1&filter=${encodeURIComponent(JSON.stringify({ name }))}`, { on: csv })).json.data[0]?.values;
    expect((await find('Euro GmbH'))?.revenue).toBe(1234.56);
    await post(form(Buffer.from('name,city\nLatin AG,Zürich\n', 'latin1'), { encoding: 'latin1' }));
    expect((await find('Latin AG'))?.city).toBe('Zürich');
    await post(form(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,city\nUtf AG,Łódź\n', 'utf16le')]), { encoding: 'utf16' }));
    expect((await find('Utf AG'))?.city).toBe('Łódź');
    await post(form(Buffer.from([...Buffer.from('name,city\nEuro Sign AG,'), 0x80, 0x0a]), { encoding: 'windows-cp1252' }));
    expect((await find('Euro Sign AG'))?.city).toBe('€');
    const mappings = JSON.stringify([{ csvColumnName: 'column_1', fieldName: 'name' }, { csvColumnName: 'column_2', fieldName: 'city' }]);
    const headerless = await post(form('No Header AG\tTurin\n', { hasHeader: 'false', mappings, delimiter: '\t' }));
    expect(headerless.json.data.rowsImported).toBe(1);
    expect((await find('No Header AG'))?.city).toBe('Turin');
  });

  it("honours quoteChar, and rolls the whole file back when FACTS.csvAtomic says the spec's one transaction holds", async () => {
    const quoted = await post(form("name,city\n'Quote, Ltd',Bern\n", { quoteChar: "'", batchSize: '50' }));
    expect(quoted.json.data.rowsImported).toBe(1);
    const rows = await api<Page<Rec>>('GET', `${T}/records?limit=1&filter=${encodeURIComponent('{"name":"Quote, Ltd"}')}`, { on: csv });
    expect(rows.json.data[0].values.city).toBe('Bern');
    const facts = FACTS as { csvAtomic: boolean };
    facts.csvAtomic = true;
    try {
      const before = count();
      const r = await post(form('name,industry\nFine AG,Software\nBad AG,Bakery\n'));
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/CSV row 3/);
      expect(count()).toBe(before);
    } finally {
      facts.csvAtomic = false;
    }
  });

  it('answers 400 for a missing file, bad options or mappings; 413 for a file over 50 MB', async () => {
    expect((await post(form(undefined, { importMode: 'append' }))).status).toBe(400);
    const bad: Array<Record<string, string>> = [{ importMode: 'merge' }, { encoding: 'ebcdic' }, { numberFormat: 'swiss' }, { batchSize: '5' }, { batchSize: '201' },
      { mappings: 'not json' }, { mappings: '[{"csvColumnName":"Missing","fieldName":"name"}]' }, { mappings: '[{"csvColumnName":"name","fieldName":"nope"}]' }];
    for (const fields of bad) {
      expect([fields, (await post(form('name\nX\n', fields))).status]).toEqual([fields, 400]);
    }
    expect((await api('POST', `${T}/records/import/csv`, { json: { file: 'name\nX' }, on: csv })).status).toBe(400);
    const before = count();
    const huge = Buffer.alloc(FACTS.csvFileLimitBytes + 10, 'a');
    const r = await post(form(huge));
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/50 MB/);
    expect(count()).toBe(before);
  });
});

describe('script, functions, views and reports (*ext.*)', () => {
  it('executes a script and answers its value as data', async () => {
    const r = await api('POST', '/script/exec', { json: { moduleName: 'crm', script: 'count(select contacts where status = "Lead") > 0' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ data: true });
    expect((await api('POST', '/script/exec', { json: { moduleName: 'crm', script: 'let x := 6; x * 7' } })).json).toEqual({ data: 42 });
    expect((await api('POST', '/script/exec', { json: { moduleName: 'crm', script: 'record(companies, 2).name' } })).json).toEqual({ data: 'Hub City Ltd' });
    expect((await api('POST', '/script/exec', { json: { moduleName: 'crm', script: 'null' } })).json).toEqual({ data: null });
  });

  it('writes with tableName and rowId (and the change feed sees it)', async () => {
    const asOf = (await api('GET', `${CONTACTS}/records/changes?since=2026-01-01T00:00:00Z&limit=1`)).json.meta.asOf;
    const r = await api('POST', '/script/exec', { json: { moduleName: 'crm', tableName: 'contacts', rowId: 7, script: 'score := 77; first_name + " scored " + text(score)' } });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatch(/ scored 77$/);
    expect((await api('GET', `${CONTACTS}/record/7`)).json.data.values.score).toBe(77);
    const changes = await api('GET', `${CONTACTS}/records/changes?since=${asOf}`);
    expect(changes.json.data).toEqual([{ id: '7', changeType: 'update', changedAt: expect.any(String) }]);
  });

  it('answers 400 for a script error, 404 for an unknown module or row, 403 without records:write', async () => {
    const bad = await api('POST', '/script/exec', { json: { moduleName: 'crm', script: 'http("x")' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/unsupported function http/);
    expect((await api('POST', '/script/exec', { json: { moduleName: 'crm', script: '1 +' } })).status).toBe(400);
    expect((await api('POST', '/script/exec', { json: { moduleName: 'crm' } })).status).toBe(400);
    expect((await api('POST', '/script/exec', { json: { moduleName: 'nope', script: '1' } })).status).toBe(404);
    expect((await api('POST', '/script/exec', { json: { moduleName: 'crm', tableName: 'contacts', rowId: 99999, script: '1' } })).status).toBe(404);
    server.addKey('reader', []);
    expect((await api('POST', '/script/exec', { key: 'reader', json: { moduleName: 'crm', script: '1' } })).status).toBe(403);
  });

  it("lists a module's global functions", async () => {
    const r = await api('GET', `${CRM}/functions`);
    expect(r.json.data).toEqual([{ id: 'fn0001', name: 'greeting', moduleName: 'crm', code: expect.stringContaining('function greeting') }]);
  });

  it('lists and gets views', async () => {
    const list = await api('GET', `${CONTACTS}/views`);
    expect(list.json.data.map((v: { id: string }) => v.id)).toEqual([DEMO4.views.allContacts, DEMO4.views.leads]);
    const view = await api('GET', `/views/${DEMO4.views.leads}`);
    expect(view.json.data).toMatchObject({
      id: DEMO4.views.leads, name: 'leads', moduleName: 'crm', tableName: 'contacts', filter: { status: 'Lead' },
      sort: { fieldName: 'score', descending: true },
    });
    expect(view.json.data.columns.map((c: { fieldName: string }) => c.fieldName)).toEqual(['full_name', 'email', 'score']);
    expect((await api('GET', '/views/nope')).status).toBe(404);
  });

  it('lists and gets reports; prints a real PDF behind a presigned link', async () => {
    expect((await api('GET', `${CONTACTS}/reports`)).json.data).toEqual([
      { id: DEMO4.reports.contactCard, name: 'contact_card', labels: label('Contact card'), moduleName: 'crm', tableName: 'contacts' },
    ]);
    expect((await api('GET', `/reports/${DEMO4.reports.contactCard}`)).json.data).toMatchObject({ format: 'A4', columns: ['full_name', 'email', 'phone', 'status', 'tags'] });
    expect((await api('GET', '/reports/nope')).status).toBe(404);

    const printed = await api('POST', `/reports/${DEMO4.reports.contactCard}/print`, { json: { rowId: 1, rowIds: [2, 3] } });
    expect(printed.status).toBe(200);
    expect(printed.json.data).toEqual({ fileName: 'contact_card.pdf', mimeType: 'application/pdf', url: expect.stringContaining('X-Amz-Signature=') });
    const url = printed.json.data.url as string;
    const pdf = await request(url);
    const bytes = Buffer.from(await pdf.body.arrayBuffer());
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(bytes.subarray(-6).toString('latin1')).toBe('%%EOF\n');
    expect(bytes.toString('latin1')).toMatch(/\/Count 3 /);
    // the xref offsets point at the objects
    const text = bytes.toString('latin1');
    const xref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const firstObject = Number(/0000000000 65535 f \n(\d{10})/.exec(text)?.[1]);
    expect(text.slice(firstObject, firstObject + 7)).toBe('1 0 obj');

    const withKey = await request(url, { headers: { authorization: `Bearer ${server.key}` } });
    expect(withKey.statusCode).toBe(400);
    await withKey.body.dump();
    const forged = await request(url.replace(/X-Amz-Signature=\w+/, 'X-Amz-Signature=0000'));
    expect(forged.statusCode).toBe(403);
    await forged.body.dump();
    const clock = server.store.now;
    server.store.now = () => clock() + (FACTS.presignedUrlTtlSeconds + 1) * 1000;
    try {
      const expired = await request(url);
      expect(expired.statusCode).toBe(403);
      expect(await expired.body.text()).toMatch(/expired/);
    } finally {
      server.store.now = clock;
    }
  });

  it('refuses a print without rowId, of unknown records or of more than 250 ids', async () => {
    const print = (json: unknown) => api('POST', `/reports/${DEMO4.reports.contactCard}/print`, { json });
    expect((await print({})).status).toBe(400);
    expect((await print({ rowId: 99999 })).status).toBe(404);
    expect((await print({ rowId: 1, rowIds: Array.from({ length: FACTS.maxPrintIds }, (_, i) => i + 2) })).status).toBe(400);
    expect((await print({ rowId: 1, rowIds: Array.from({ length: FACTS.maxPrintIds - 1 }, (_, i) => i + 2) })).status).toBe(200);
  });
});

describe('faults, latency and concurrency (../server/faults.ts)', () => {
  afterEach(() => server.faults.clear());

  it("answers 429 with Retry-After and 5xx in Ninox 4's envelope, without applying", async () => {
    server.faults.add({ kind: '429', retryAfterSeconds: 3, match: { method: 'POST' } });
    server.faults.add({ kind: '503', match: { method: 'POST' } });
    const before = server.store.table(DEMO4.module, DEMO4.contacts).records.size;
    const limited = await api('POST', `${CONTACTS}/records`, { json: { records: [{}] } });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.json).toEqual({ error: { message: 'Too many requests' } });
    const down = await api('POST', `${CONTACTS}/records`, { json: { records: [{}] } });
    expect(down.status).toBe(503);
    expect(down.json).toEqual({ error: { message: 'Service Unavailable' } });
    expect(server.store.table(DEMO4.module, DEMO4.contacts).records.size).toBe(before);
    expect(server.log.at(-1)?.fault).toBe('503');
    expect(server.faults.injected).toBeGreaterThanOrEqual(2);
  });

  it('applies the request before a reset-after or a truncated answer', async () => {
    const before = server.store.table(DEMO4.module, DEMO4.contacts).records.size;
    server.faults.add({ kind: 'reset-after', match: { path: /\/records$/ } });
    await expect(api('POST', `${CONTACTS}/records`, { json: { records: [{}] } })).rejects.toThrow();
    expect(server.store.table(DEMO4.module, DEMO4.contacts).records.size).toBe(before + 1);
    server.faults.add({ kind: 'truncated' });
    const cut = await api('GET', '/modules');
    expect(cut.status).toBe(200);
    expect(cut.json).toBeUndefined();
    expect(cut.text.length).toBeGreaterThan(0);
  });

  it('leaves a silent fault unanswered (silent-after applies first); slow answers late', async () => {
    const before = server.store.table(DEMO4.module, DEMO4.contacts).records.size;
    server.faults.add({ kind: 'silent', match: { method: 'POST' } });
    server.faults.add({ kind: 'silent-after', match: { method: 'POST' } });
    for (let i = 0; i < 2; i++) {
      await expect(request(`${server.apiUrl}${CONTACTS}/records`, {
        method: 'POST', headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{}] }), headersTimeout: 300,
      })).rejects.toThrow();
    }
    expect(server.log.slice(-2).map((e) => [e.fault, e.status])).toEqual([['silent', 0], ['silent-after', 0]]);
    expect(server.store.table(DEMO4.module, DEMO4.contacts).records.size).toBe(before + 1);
    server.faults.add({ kind: 'slow', delayMs: 50 });
    expect((await api('GET', '/modules')).status).toBe(200);
    expect(server.log.at(-1)?.fault).toBe('slow');
  });

  it('passes the other kinds to the classic answers (a careless server quoting the key, an HTML login page)', async () => {
    server.faults.add({ kind: 'echo-auth' });
    const echo = await api('GET', '/modules');
    expect(echo.status).toBe(400);
    expect(echo.text).toContain(server.key);
    server.faults.add({ kind: 'html-login' });
    const login = await api('GET', '/modules');
    expect([login.status, login.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
  });

  it('adds latency and limits concurrency with 429', async () => {
    const slow = await startNinox4Server({ seed: 'empty', latencyMs: 150, maxConcurrent: 1 });
    try {
      const answers = await Promise.all([api('GET', '/modules', { on: slow }), api('GET', '/modules', { on: slow })]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
      expect(answers.find((a) => a.status === 429)?.headers['retry-after']).toBe('1');
      expect(slow.peakConcurrency).toBe(2);   // the latency kept the first request open while the second arrived
    } finally {
      await slow.close();
    }
  });
});
