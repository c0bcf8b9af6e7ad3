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
    const byRef = await api<Page<Rec>>('GET', `${CONTACTS}/records?limit=100&filter=${encodeURIComponent('{"company":"1"}')}`);
    expect(byRef.json.data.every((x) => x.values.company === '1')).toBe(true);
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
