/**
 * Contract test of the local Ninox server: every endpoint of ENDPOINTS.md over real HTTP (undici), checked
 * against the shapes of Ninox's reference examples, plus auth, routing safety, scripts, faults, concurrency
 * and latency. If this passes, the nodes' tests talk to something that behaves like Ninox.
 */
import { randomBytes } from 'node:crypto';
import { FormData, request } from 'undici';
import { DEMO, NinoxRecord, NinoxServer, startNinoxServer } from './server';

let server: NinoxServer;
const T = DEMO.teamId;
const D = DEMO.dbId;
const DB = `/teams/${T}/databases/${D}`;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;   // no Z

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
  token?: string | null;    // null = no Authorization header
  on?: NinoxServer;
}

async function api<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const target = options.on ?? server;
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? target.token : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  const res = await request(`${target.apiUrl}${path}`, { method: method as 'GET', headers, body });
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

const q = (script: string): string => `${DB}/query?query=${encodeURIComponent(script)}`;

type Fields = Record<string, unknown>;
type UpsertItem = Record<string, unknown>;
interface Changes {
  nextRid?: number;
  nextRids?: Record<string, number>;
  config?: unknown;
  updates: Record<string, Record<string, unknown>>;
  removes: string[];
  files: Array<{ id: string; name: string; removed?: boolean; seq: number }>;
  views?: Record<string, { id: string; type: string; seq: number }>;
  reports?: unknown;
  seq: number;
}
interface TableJson {
  id: string;
  name: string;
  fields: Array<{ id: string; name: string; type: string; choices?: Array<{ id: string; caption: string; captions: object }> }>;
}
interface FileMetaJson {
  name: string;
  contentType: string;
  size: number;
  modifiedDate: number;
  modifiedUser: string;
  seq: number;
}

beforeAll(async () => {
  server = await startNinoxServer();
});

afterAll(async () => {
  await server.close();
});

describe('auth', () => {
  it('answers 401 without or with a wrong token', async () => {
    const none = await api('GET', '/teams', { token: null });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ message: 'Unauthorized' });
    expect((await api('GET', '/teams', { token: 'wrong' })).status).toBe(401);
    expect(server.requests.at(-1)?.authorized).toBe(false);
  });

  it("lets a token without access list teams only (403 elsewhere)", async () => {
    server.addToken('no-access-token', 'none');
    expect((await api('GET', '/teams', { token: 'no-access-token' })).status).toBe(200);
    const denied = await api('GET', `/teams/${T}`, { token: 'no-access-token' });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ message: 'Forbidden' });
  });
});

describe('teams and databases (#1-4)', () => {
  it('lists and gets teams', async () => {
    const teams = await api<Array<{ id: string; name: string }>>('GET', '/teams');
    expect(teams.status).toBe(200);
    expect(teams.headers['content-type']).toMatch(/^application\/json/);
    expect(teams.json).toContainEqual({ id: 'mnPLY6DMsvq9wz4id', name: 'Public Cloud Test Team' });
    expect((await api('GET', `/teams/${T}`)).json).toEqual({ id: T, name: 'Public Cloud Test Team' });
    const missing = await api('GET', '/teams/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: 'Team not found' });
  });

  it('lists databases and returns the schema with formula fields', async () => {
    expect((await api('GET', `/teams/${T}/databases`)).json).toEqual([{ id: 'gt5k36w957yt', name: 'Kontakte' }]);
    const schema = await api<{ settings: Fields; schema: { seq: number; version: number; nextTypeId: number; types: Record<string, { caption: string; nextFieldId: number; fields: Record<string, Fields> }> } }>('GET', DB);
    expect(schema.status).toBe(200);
    expect(schema.json.settings).toMatchObject({ name: 'Kontakte', icon: expect.any(String), color: expect.any(String) });
    expect(schema.json.schema).toMatchObject({ seq: expect.any(Number), version: expect.any(Number), nextTypeId: 3 });
    const contact = schema.json.schema.types.A;
    expect(contact.caption).toBe('Contact');
    expect(contact.fields.A).toMatchObject({ base: 'choice', caption: 'Kind' });
    const formula = Object.values(contact.fields).find((f) => f.caption === 'Full Name');
    expect(formula).toMatchObject({ base: 'string', fn: expect.any(String) });
    const missing = await api('GET', `/teams/${T}/databases/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: 'Database not found' });
  });
});

describe('tables (#8-9)', () => {
  it('lists tables with fields, without formula fields', async () => {
    const tables = await api<TableJson[]>('GET', `${DB}/tables`);
    expect(tables.json.map((t) => [t.id, t.name])).toEqual([['A', 'Contact'], ['B', 'Company']]);
    const contact = tables.json[0];
    expect(contact.fields.find((f) => f.name === 'Full Name')).toBeUndefined();
    expect(contact.fields[0]).toEqual({
      id: 'A', name: 'Kind', type: 'choice',
      choices: [{ id: '1', caption: 'Person', captions: {} }, { id: '2', caption: 'Company', captions: {} }],
    });
    expect(new Set(contact.fields.map((f) => f.type))).toEqual(new Set([
      'choice', 'string', 'date', 'email', 'phone', 'multi', 'number', 'boolean', 'ref', 'datetime', 'time',
      'appointment', 'timeinterval', 'url', 'location', 'color', 'image', 'user', 'html',
    ]));
    expect(tables.json[1].fields.find((f) => f.name === 'Contacts')?.type).toBe('rev');
  });

  it('gets one table; 404 for an unknown one', async () => {
    const table = await api<TableJson>('GET', `${DB}/tables/A`);
    expect(table.json.id).toBe('A');
    expect(table.json.name).toBe('Contact');
    const missing = await api('GET', `${DB}/tables/ZZ`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: 'Table not found' });
  });
});

describe('reading records (#10, #11, #13, #14)', () => {
  it("answers the reference's query example on the fresh seed", async () => {
    const names = await api<string[]>('GET', q("(select Contact).'First Name'"));
    expect(names.json.slice(0, 8)).toEqual(['Tim', 'Chalie', 'John', 'Caroline', 'Sophie', 'Hans', 'Alfred ', 'Nadin']);
  });

  it('returns only 100 records without params, with the reference shape', async () => {
    const list = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records`);
    expect(list.json).toHaveLength(100);
    expect(list.json.map((r) => r.id).slice(0, 3)).toEqual([1, 2, 3]);
    const first = list.json[0];
    expect(Object.keys(first)).toEqual(['id', 'sequence', 'createdAt', 'createdBy', 'modifiedAt', 'modifiedBy', 'fields']);
    expect(first.createdAt).toBe('');
    expect(first.createdBy).toBe(0);
    expect(first.modifiedAt).toMatch(TIMESTAMP);
    expect(list.json[5].createdAt).toMatch(TIMESTAMP);
    expect(first.fields).toMatchObject({ Kind: 'Person', 'First Name': 'Tim', 'Full Name': expect.stringMatching(/^Tim /) });
    // empty fields are left out
    expect(list.json.some((r) => !('Birthday' in r.fields))).toBe(true);
    expect(Object.values(first.fields)).not.toContain(null);
  });

  it('pages with page/perPage and caps perPage at 1000', async () => {
    const page2 = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?page=2&perPage=10`);
    expect(page2.json.map((r) => r.id)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect((await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?perPage=1000`)).json).toHaveLength(300);
    const big = server.store.addTable(T, D, { name: 'Big', fields: [{ name: 'N', type: 'number' }] });
    server.store.insertRecords(T, D, big.id, Array.from({ length: 1200 }, (_, i) => ({ N: i })));
    expect((await api<NinoxRecord[]>('GET', `${DB}/tables/${big.id}/records?perPage=5000`)).json).toHaveLength(1000);
    expect((await api<NinoxRecord[]>('GET', `${DB}/tables/${big.id}/records?perPage=1000&page=1`)).json).toHaveLength(200);
    expect((await api('GET', `${DB}/tables/A/records?perPage=abc`)).status).toBe(400);
  });

  it('supports order, desc, new, updated, sinceId, sinceSq, ids and choiceStyle', async () => {
    const ids = (path: string) => api<NinoxRecord[]>('GET', `${DB}/tables/A/records${path}`).then((r) => r.json.map((x) => x.id));
    expect(await ids('?desc=true&perPage=3')).toEqual([300, 299, 298]);
    expect(await ids('?new=true&perPage=2')).toEqual([300, 299]);
    expect((await ids('?updated=true&perPage=1'))[0]).toBe(1);   // the seed attached a file to record 1 last
    expect(await ids('?sinceId=297')).toEqual([298, 299, 300]);
    expect(await ids('?ids=5,3,9')).toEqual([3, 5, 9]);
    const seq = server.store.seq(T, D);
    server.store.updateRecord(T, D, 'A', 17, { Score: 1 });
    expect(await ids(`?sinceSq=${seq}`)).toEqual([17]);
    const scores = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?order=Score&perPage=1000`);
    const values = scores.json.map((r) => r.fields.Score as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const byIds = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?choiceStyle=ids&perPage=1`);
    expect(byIds.json[0].fields.Kind).toBe('1');
    expect(byIds.json[0].fields.Tags).toEqual(['1', '3']);
  });

  it('filters by field id (query string or JSON body) and 400s on unknown field ids', async () => {
    const viaQuery = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?filters=${encodeURIComponent('{"B":"Sophie"}')}`);
    expect(viaQuery.json.length).toBeGreaterThan(0);
    expect(viaQuery.json.every((r) => r.fields['First Name'] === 'Sophie')).toBe(true);
    const viaBody = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records`, { json: { filters: { B: 'Sophie' } } });
    expect(viaBody.json.map((r) => r.id)).toEqual(viaQuery.json.map((r) => r.id));
    const byChoice = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?perPage=1000&filters=${encodeURIComponent('{"A":"Company"}')}`);
    expect(byChoice.json).toHaveLength(30);
    const byChoiceId = await api<NinoxRecord[]>('GET', `${DB}/tables/A/records?perPage=1000&filters=${encodeURIComponent('{"A":"2"}')}`);
    expect(byChoiceId.json).toHaveLength(30);
    const byName = await api('GET', `${DB}/tables/A/records?filters=${encodeURIComponent('{"First Name":"Sophie"}')}`);
    expect(byName.status).toBe(400);
  });

  it('gets one record with style=ids and choiceStyle; 404 "Not found" otherwise', async () => {
    const one = await api<NinoxRecord>('GET', `${DB}/tables/A/records/1`);
    expect(one.json.id).toBe(1);
    expect(one.json.fields['First Name']).toBe('Tim');
    const byId = await api<NinoxRecord>('GET', `${DB}/tables/A/records/1?style=ids&choiceStyle=ids`);
    expect(byId.json.fields).toMatchObject({ A: '1', B: 'Tim' });
    for (const rid of ['9999', 'abc']) {
      const missing = await api('GET', `${DB}/tables/A/records/${rid}`);
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ message: 'Not found' });
    }
  });

  it('finds the single record with POST /record (body or query filters)', async () => {
    const found = await api<NinoxRecord>('POST', `${DB}/tables/A/record`, { json: { filters: { B: 'Caroline' } } });
    expect(found.status).toBe(200);
    expect(found.json.fields['First Name']).toBe('Caroline');
    expect(Array.isArray(found.json)).toBe(false);
    const viaQuery = await api<NinoxRecord>('POST', `${DB}/tables/A/record?filters=${encodeURIComponent('{"B":"Caroline"}')}`);
    expect(viaQuery.json.id).toBe(found.json.id);
    const none = await api('POST', `${DB}/tables/A/record`, { json: { filters: { B: 'Nobody' } } });
    expect(none.status).toBe(404);
    expect(none.json).toEqual({ message: 'Not found' });
    expect((await api('GET', `${DB}/tables/A/record`)).status).toBe(405);
  });
});

describe('writing records (#12, #15, #16, #20, #21)', () => {
  it('PUT merges only the sent fields and returns the record with a new sequence', async () => {
    const before = server.store.getRecord(T, D, 'A', 8) as NinoxRecord;
    const put = await api<NinoxRecord>('PUT', `${DB}/tables/A/records/8`, { json: { fields: { 'First Name': 'Jane', Status: 'Lead' } } });
    expect(put.status).toBe(200);
    expect(put.json.sequence).toBeGreaterThan(before.sequence);
    expect(put.json.fields).toMatchObject({ 'First Name': 'Jane', Status: 'Lead', 'Last Name': before.fields['Last Name'] });
    expect(put.json.modifiedBy).toBe(server.store.userId);
    expect(put.json.modifiedAt).toMatch(TIMESTAMP);
  });

  it("answers Ninox's bare 500 for unknown, formula and rev fields and for unknown choices", async () => {
    for (const fields of [{ Nope: 1 }, { 'Full Name': 'x' }, { Status: 'Nonexistent' }]) {
      const res = await api('PUT', `${DB}/tables/A/records/8`, { json: { fields } });
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ message: 'Internal Server Error' });
    }
    expect((await api('POST', `${DB}/tables/B/records`, { json: [{ fields: { Contacts: [1] } }] })).status).toBe(500);
  });

  it('creates and updates in one batch, in order, atomically', async () => {
    const count = server.store.getRecords(T, D, 'A').length;
    const res = await api<NinoxRecord[]>('POST', `${DB}/tables/A/records`, {
      json: [{ id: 2, fields: { 'First Name': 'Tom' } }, { fields: { 'First Name': 'Andrea', Tags: ['VIP'], Birthday: '1990-02-03' } }],
    });
    expect(res.status).toBe(200);
    expect(res.json.map((r) => r.id)).toEqual([2, 301]);
    expect(res.json[0].fields['First Name']).toBe('Tom');
    expect(res.json[1]).toMatchObject({ createdBy: server.store.userId, fields: { 'First Name': 'Andrea', Tags: ['VIP'], Birthday: '1990-02-03' } });
    expect(res.json[1].createdAt).toMatch(TIMESTAMP);

    const seq = server.store.seq(T, D);
    const bad = await api('POST', `${DB}/tables/A/records`, { json: [{ fields: { 'First Name': 'Ok' } }, { fields: { Unknown: 1 } }] });
    expect(bad.status).toBe(500);
    expect(server.store.seq(T, D)).toBe(seq);
    expect(server.store.getRecords(T, D, 'A')).toHaveLength(count + 1);
    const missing = await api('POST', `${DB}/tables/A/records`, { json: [{ id: 99999, fields: { 'First Name': 'X' } }] });
    expect(missing.status).toBe(404);
    expect((await api('POST', `${DB}/tables/A/records`, { body: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    // one object instead of an array is answered with one record
    const single = await api<NinoxRecord>('POST', `${DB}/tables/A/records`, { json: { fields: { 'First Name': 'Solo' } } });
    expect(single.json).toMatchObject({ id: 302, fields: { 'First Name': 'Solo' } });
    expect((await api('POST', `${DB}/tables/A/records`, { json: { a: 1 } })).status).toBe(400);
  });

  it('upserts by field ids with the reference answer shape', async () => {
    const res = await api<UpsertItem[]>('POST', `${DB}/tables/A/records`, {
      json: [
        { _upsert: true, _id: 5000, B: 'Alfred', C: 'Becker', A: 'Person' },
        { _upsert: true, _id: 3, B: 'Caroline' },
        { _upsert: true, B: 'Hans', C: 'Copeland' },
      ],
    });
    expect(res.status).toBe(200);
    const [created, updated, fresh] = res.json;
    expect(Object.keys(created).slice(0, 5)).toEqual(['_id', '_cu', '_cd', '_mu', '_md']);
    expect(created).toMatchObject({ _id: 5000, _cu: server.store.userId, A: 'Person', B: 'Alfred', C: 'Becker' });
    expect(created._cd).toMatch(TIMESTAMP);
    expect(created._md).toMatch(TIMESTAMP);
    expect(updated).toMatchObject({ _id: 3, _cu: 0, _cd: '', B: 'Caroline' });
    expect(fresh._id).toBe(5001);   // nextRid moved past the explicit id
    const table = await api<Changes>('GET', `${DB}/tables/A/changes?sinceSq=${server.store.seq(T, D)}`);
    expect(table.json.nextRid).toBe(5002);
  });

  it('DELETE one answers {} then 404; DELETE many answers 204 and ignores unknown ids', async () => {
    const del = await api('DELETE', `${DB}/tables/A/records/10`);
    expect(del.status).toBe(200);
    expect(del.json).toEqual({});
    const again = await api('DELETE', `${DB}/tables/A/records/10`);
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ message: 'Not found' });
    const many = await api('DELETE', `${DB}/tables/A/records`, { json: [11, 12, 777777] });
    expect(many.status).toBe(204);
    expect(many.bytes).toHaveLength(0);
    expect(server.store.getRecord(T, D, 'A', 11)).toBeUndefined();
  });
});

describe('changes feeds (#17-19)', () => {
  it('reports updates as "A1" entries with ms dates and choice ids, removes and the current seq', async () => {
    const since = server.store.seq(T, D);
    server.store.updateRecord(T, D, 'A', 20, { Birthday: '1980-01-01', Status: 'Lead' });
    const [tmp] = server.store.insertRecords(T, D, 'A', [{ 'First Name': 'Temp' }]);
    server.store.deleteRecord(T, D, 'A', tmp);
    server.store.deleteRecord(T, D, 'A', 21);
    const feed = await api<Changes>('GET', `${DB}/changes?sinceSq=${since}`);
    expect(feed.status).toBe(200);
    expect(Object.keys(feed.json)).toEqual(['config', 'nextRids', 'updates', 'removes', 'files', 'views', 'reports', 'seq']);
    expect(feed.json.seq).toBe(server.store.seq(T, D));
    expect(feed.json.nextRids).toMatchObject({ A: tmp + 1, B: 6 });
    expect(Object.keys(feed.json.updates)).toEqual(['A20']);
    const entry = feed.json.updates.A20;
    expect(entry).toMatchObject({ _id: 'A20', _cu: server.store.userId, _mu: server.store.userId, D: 315532800000, G: '3' });
    expect(typeof entry._cd).toBe('number');
    expect(typeof entry._md).toBe('number');
    expect(entry.V).toBeUndefined();   // formula fields are not stored values
    // created and deleted after `since`: only in removes
    expect(feed.json.removes).toEqual([`A${tmp}`, 'A21']);
    expect(feed.json.views).toEqual({});
    const all = await api<Changes>('GET', `${DB}/changes?sinceSq=0`);
    expect(Object.keys(all.json.views ?? {})).toHaveLength(3);
    expect(all.json.updates.A1).not.toHaveProperty('_cd');   // no creation date, like the reference
    expect(all.json.updates.A1._cu).toBe(0);
    expect((await api('GET', `${DB}/changes`)).status).toBe(400);
  });

  it('serves table and record feeds', async () => {
    const since = server.store.seq(T, D);
    server.store.updateRecord(T, D, 'B', 1, { City: 'Potsdam' });
    const table = await api<Changes>('GET', `${DB}/tables/B/changes?sinceSq=${since}`);
    expect(Object.keys(table.json)).toEqual(['nextRid', 'updates', 'removes', 'files', 'views', 'reports', 'seq']);
    expect(table.json).toMatchObject({ nextRid: 6, removes: [], seq: server.store.seq(T, D) });
    expect(Object.keys(table.json.updates)).toEqual(['B1']);
    const record = await api<Changes>('GET', `${DB}/tables/B/records/1/changes?sinceSq=${since}`);
    expect(Object.keys(record.json)).toEqual(['nextRid', 'updates', 'removes', 'files', 'seq']);
    expect(record.json.updates.B1.A).toBe('Apricote AG');
    const other = await api<Changes>('GET', `${DB}/tables/B/records/2/changes?sinceSq=${since}`);
    expect(other.json.updates).toEqual({});
    const gone = await api<Changes>('GET', `${DB}/tables/A/records/21/changes?sinceSq=0`);
    expect(gone.json.removes).toEqual(['A21']);
    expect((await api('GET', `${DB}/tables/A/records/99999/changes?sinceSq=0`)).status).toBe(404);
  });
});

describe('files (#22-27)', () => {
  const rec = `${DB}/tables/A/records/30`;
  const name = 'Grüße & Ünïcødé 文件 #1.bin';
  const data = randomBytes(70_000);

  it('uploads multipart, lists, gives metadata and downloads the exact bytes', async () => {
    const seq = server.store.seq(T, D);
    const form = new FormData();
    form.append('file', new Blob([data]), name);
    const up = await api('POST', `${rec}/files`, { body: form });
    expect(up.status).toBe(202);
    expect(up.text).toBe('File Uploaded Successfully');
    expect(server.store.seq(T, D)).toBe(seq + 1);
    expect(server.requests.at(-1)?.body).toEqual({
      multipart: { fields: {}, files: [{ name: 'file', filename: name, size: data.length, contentType: 'application/octet-stream' }] },
    });

    const list = await api<FileMetaJson[]>('GET', `${rec}/files`);
    expect(list.json).toEqual([{ name, contentType: 'application/octet-stream', size: data.length, modifiedDate: expect.any(Number), modifiedUser: server.store.userId, seq: seq + 1 }]);
    const path = `${rec}/files/${encodeURIComponent(name)}`;
    const meta = await api<FileMetaJson>('GET', `${path}/metadata`);
    expect(meta.json).toEqual(list.json[0]);
    const down = await api('GET', path);
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('application/octet-stream');
    expect(down.bytes.equals(data)).toBe(true);
    const files = await api<Changes>('GET', `${DB}/changes?sinceSq=${seq}`);
    expect(files.json.files).toEqual([expect.objectContaining({ id: 'A30', name, seq: seq + 1 })]);
  });

  it('sets an image field with the fieldName part and guesses the type from a hand-made body', async () => {
    const boundary = 'XyZboundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fieldName"\r\n\r\nPhoto\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent('Bild ö.png')}\r\n\r\n`),
      Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await api('POST', `${rec}/files`, { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(up.status).toBe(202);
    expect(server.store.getRecord(T, D, 'A', 30)?.fields.Photo).toBe('Bild ö.png');
    const meta = await api<FileMetaJson>('GET', `${rec}/files/${encodeURIComponent('Bild ö.png')}/metadata`);
    expect(meta.json.contentType).toBe('image/png');
  });

  it('returns a real baseline JPEG thumbnail for images and 404 for other files', async () => {
    const thumb = await api('GET', `${DB}/tables/A/records/1/files/ninox_logo.png/thumb.jpg`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const b = thumb.bytes;
    expect([b[0], b[1], b[b.length - 2], b[b.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(b.subarray(6, 11).toString('latin1')).toBe('JFIF\0');
    const markers = new Set<number>();
    for (let i = 2; i < b.length;) {   // walk the segments up to the scan
      expect(b[i]).toBe(0xff);
      const marker = b[i + 1];
      markers.add(marker);
      if (marker === 0xc0) expect([b.readUInt16BE(i + 5), b.readUInt16BE(i + 7)]).toEqual([64, 64]);
      if (marker === 0xda) break;
      i += 2 + b.readUInt16BE(i + 2);
    }
    expect([...markers]).toEqual(expect.arrayContaining([0xe0, 0xdb, 0xc0, 0xc4, 0xda]));
    const notImage = await api('GET', `${rec}/files/${encodeURIComponent(name)}/thumb.jpg`);
    expect(notImage.status).toBe(404);
  });

  it('deletes a file with 204, then 404', async () => {
    const path = `${rec}/files/${encodeURIComponent(name)}`;
    expect((await api('DELETE', path)).status).toBe(204);
    const again = await api('GET', path);
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ message: 'Not found' });
  });

  it('refuses uploads above maxUploadBytes with 413', async () => {
    const small = await startNinoxServer({ maxUploadBytes: 1000 });
    try {
      const form = new FormData();
      form.append('file', new Blob([randomBytes(1001)]), 'big.bin');
      const res = await api('POST', `${DB}/tables/A/records/1/files`, { body: form, on: small });
      expect(res.status).toBe(413);
      expect(res.json).toEqual({ message: 'File too large' });
    } finally {
      await small.close();
    }
  });
});

describe('routing', () => {
  it('keeps encoded ids inside their segment', async () => {
    const sneaky = await api('GET', '/teams/A%2F..%2Fteams');
    expect(sneaky.status).toBe(404);
    expect(sneaky.json).toEqual({ message: 'Team not found' });
    const logged = server.requests.at(-1);
    expect(logged?.rawPath).toBe('/v1/teams/A%2F..%2Fteams');
    expect(logged?.segments).toEqual(['teams', 'A/../teams']);
    expect((await api('GET', `/teams/${T}%2Fdatabases`)).json).toEqual({ message: 'Team not found' });
    expect((await api('GET', `${DB}/tables/A%2Frecords`)).json).toEqual({ message: 'Table not found' });
    expect((await api('GET', `${DB}/tables/A/records/1%3Fx%3D1`)).json).toEqual({ message: 'Not found' });
  });

  it('answers unknown routes with 404, wrong methods with 405, bad encoding with 400', async () => {
    expect((await api('GET', '/nothing')).json).toEqual({ message: 'Not found' });
    const wrong = await api('PATCH', `${DB}/tables/A/records/1`);
    expect(wrong.status).toBe(405);
    expect(wrong.json).toMatchObject({ message: expect.any(String) });
    expect((await api('GET', '/teams/%E0%A4%A')).status).toBe(400);
  });
});

describe('query and exec (#5-7)', () => {
  const get = <T>(script: string) => api<T>('GET', q(script));

  it('answers the reference query, via GET and POST', async () => {
    const viaGet = await get<string[]>("(select Contact).'First Name'");
    expect(viaGet.status).toBe(200);
    const names = server.store.getRecords(T, D, 'A').map((r) => r.fields['First Name']).filter((n) => n !== undefined);
    expect(viaGet.json).toEqual(names);
    const viaPost = await api('POST', `${DB}/query`, { json: { query: "(select Contact).'First Name'" } });
    expect(viaPost.json).toEqual(viaGet.json);
    expect((await api('POST', `${DB}/exec`, { json: { query: 'users()' } })).json).toEqual([server.store.userId]);
  });

  it('supports where, count/first/last/sum, record() and literals', async () => {
    const companies = server.store.getRecords(T, D, 'A', { filters: { A: 'Company' } }).length;
    expect((await get(`count(select Contact where Kind = "Company")`)).json).toBe(companies);
    expect((await get(`count(select Contact where Kind != "Company" and Score > 50)`)).json).toEqual(expect.any(Number));
    expect((await get(`first(select Contact where 'First Name' = "Sophie")`)).json).toBe('A5');
    expect((await get(`last(select Company)`)).json).toBe('B5');
    expect((await get(`sum((select Company).Revenue)`)).json).toBeCloseTo(6685000.75);
    expect((await get(`record(Contact, 1).'First Name'`)).json).toBe('Tim');
    expect((await get(`record(Contact, 1).Company.Name`)).json).toEqual(expect.any(String));
    expect((await get(`count(select Contact where Score < 0)`)).json).toBe(0);
    expect((await get('"He said \\"hi\\"\nÜñí 😀" + 1')).json).toBe('He said "hi"\nÜñí 😀1');
  });

  it('writes with exec (create, assignment, let, delete) and refuses writes in query', async () => {
    const created = await api<string>('POST', `${DB}/exec`, {
      json: { query: "let r := create Contact;\nr.'First Name' := \"Scripted\";\nr.Status := \"Lead\";\nr" },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatch(/^A\d+$/);
    const rid = Number(created.json.slice(1));
    expect(server.store.getRecord(T, D, 'A', rid)?.fields).toMatchObject({ 'First Name': 'Scripted', Status: 'Lead' });
    await api('POST', `${DB}/exec`, { json: { query: `delete record(Contact, ${rid})` } });
    expect(server.store.getRecord(T, D, 'A', rid)).toBeUndefined();

    const readOnly = await api<{ message: string }>('POST', `${DB}/query`, { json: { query: 'create Contact' } });
    expect(readOnly.status).toBe(400);
    expect(readOnly.json.message).toMatch(/read-only/);
  });

  it('answers anything outside the subset with a clear 400', async () => {
    const res = await get<{ message: string }>('for c in select Contact do c.Score := 1 end');
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/^Unsupported script: .*for/);
    expect((await get<{ message: string }>('http("GET", "x")')).json.message).toBe('Unsupported script: function http()');
    expect((await api('GET', `${DB}/query`)).status).toBe(400);
  });
});

describe('faults', () => {
  const contacts = `${DB}/tables/A/records`;
  const count = () => server.store.getRecords(T, D, 'A').length;
  const create = (name: string) => api('POST', contacts, { json: [{ fields: { 'First Name': name } }] });

  afterEach(() => server.faults.clear());

  it('429 carries Retry-After and is not applied', async () => {
    const before = count();
    server.faults.add({ kind: '429', retryAfterSeconds: 0, match: { method: 'POST' } });
    const res = await create('Nope');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('0');
    expect(res.json).toEqual({ message: 'Too many requests' });
    expect(count()).toBe(before);
    server.faults.add({ kind: '429' });
    expect((await api('GET', '/teams')).headers['retry-after']).toBe('1');
  });

  it('5xx answer {message} and are not applied', async () => {
    const before = count();
    for (const kind of ['500', '502', '503', '504'] as const) {
      server.faults.add({ kind, match: { path: /\/records$/ } });
      const res = await create('Nope');
      expect(res.status).toBe(Number(kind));
      expect(res.json).toEqual({ message: expect.any(String) });
    }
    expect(count()).toBe(before);
    expect(server.requests.at(-1)?.fault).toBe('504');
  });

  it('html is a 502 page from a proxy', async () => {
    server.faults.add({ kind: 'html' });
    const res = await api('GET', '/teams');
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toMatch(/<html>/);
  });

  it('reset-before drops the connection without applying; reset-after applies first', async () => {
    const before = count();
    server.faults.add({ kind: 'reset-before', match: { method: 'POST' } });
    await expect(create('Lost')).rejects.toThrow();
    expect(count()).toBe(before);
    server.faults.add({ kind: 'reset-after', match: { method: 'POST' } });
    await expect(create('Applied')).rejects.toThrow();
    expect(count()).toBe(before + 1);
    expect(server.requests.at(-1)).toMatchObject({ status: 0, fault: 'reset-after' });
  });

  it('truncated and empty answer 200 after applying', async () => {
    const before = count();
    server.faults.add({ kind: 'truncated', match: { method: 'POST' } });
    const cut = await create('Cut');
    expect(cut.status).toBe(200);
    expect(cut.headers['content-type']).toMatch(/^application\/json/);
    expect(cut.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(cut.text)).toThrow();
    server.faults.add({ kind: 'empty', match: { method: 'POST' } });
    const empty = await create('Empty');
    expect(empty.status).toBe(200);
    expect(empty.bytes).toHaveLength(0);
    expect(count()).toBe(before + 2);
  });

  it('queues with times and matches, counts injections, and random faults are reproducible', async () => {
    const injected = server.faults.injected;
    server.faults.add({ kind: '503', times: 2, match: { path: /\/teams$/ } });
    expect((await api('GET', `/teams/${T}`)).status).toBe(200);   // does not match
    expect((await api('GET', '/teams')).status).toBe(503);
    expect((await api('GET', '/teams')).status).toBe(503);
    expect((await api('GET', '/teams')).status).toBe(200);
    expect(server.faults.injected).toBe(injected + 2);

    const run = async () => {
      server.faults.random({ rate: 0.5, kinds: ['500', '503'], seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await api('GET', '/teams')).status);
      server.faults.clear();
      return statuses;
    };
    const first = await run();
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });
});

describe('concurrency, latency and the request log', () => {
  it('answers 429 above maxConcurrent and reports peakConcurrency', async () => {
    const limited = await startNinoxServer({ maxConcurrent: 2, latencyMs: 150, seed: 'empty' });
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => api('GET', '/teams', { on: limited })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 429, 429, 429]);
      expect(results.find((r) => r.status === 429)?.headers['retry-after']).toBe('1');
      expect(limited.peakConcurrency).toBe(5);
      limited.clearLog();
      limited.setLatency(0);
      for (let i = 0; i < 3; i++) await api('GET', '/teams', { on: limited });
      expect(limited.peakConcurrency).toBe(1);
      expect(limited.requests).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it('adds latency before answering', async () => {
    server.setLatency(120);
    const started = Date.now();
    await api('GET', '/teams');
    server.setLatency(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(server.requests.at(-1)?.durationMs).toBeGreaterThanOrEqual(110);
  });

  it('logs every request with method, raw path, query, body, status and auth', async () => {
    server.clearLog();
    await api('POST', `${DB}/tables/A/record?style=ids`, { json: { filters: { B: 'Tim' } } });
    expect(server.requests).toEqual([{
      method: 'POST',
      rawPath: `/v1${DB}/tables/A/record`,
      segments: ['teams', T, 'databases', D, 'tables', 'A', 'record'],
      query: { style: 'ids' },
      body: { filters: { B: 'Tim' } },
      status: 200,
      durationMs: expect.any(Number),
      authorized: true,
    }]);
  });
});
