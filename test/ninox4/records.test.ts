/** Ninox 4 → Record: every operation through n8n's engine against the local Ninox 4 server, requests from its log. */
import type { IDataObject, INodeExecutionData, INodeParameters, ResourceMapperFields } from 'n8n-workflow';

import { callNodeMethod, localNinox4Credentials, NINOX4_NODE, runNode, shutdownEngine } from '../harness/engine';
import type { Ninox4Server } from '../server4';
import { DEMO4, seedBulkTable, startNinox4Server, writeValues } from '../server4';

let server: Ninox4Server;
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const contacts = { module: byName(DEMO4.module), table: byName(DEMO4.contacts) };
const bulk = (table: string) => ({ module: byName('bench'), table: byName(table) });

beforeAll(async () => {
	server = await startNinox4Server();
	seedBulkTable(server.store, { count: 10_050, tableName: 'big' });
	seedBulkTable(server.store, { count: 0, tableName: 'empty' });
});
afterEach(() => {
	server.clearLog();
	server.faults.clear();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {}) {
	return await runNode({
		nodeType: NINOX4_NODE,
		parameters: { resource: 'record', ...parameters },
		credentials: localNinox4Credentials(server),
		...options,
	});
}

const json = (fieldsJson: string) => ({ fieldsInput: 'json', fieldsJson });
const defineBelow = (value: IDataObject): INodeParameters => ({
	fieldsInput: 'mapping',
	columns: { mappingMode: 'defineBelow', value: value as INodeParameters, matchingColumns: [], schema: [] },
});
const autoMap = { fieldsInput: 'mapping', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] } };
const items = (n: number, make: (i: number) => IDataObject) => Array.from({ length: n }, (_, i) => ({ json: make(i) }));
const requests = (method: string, last?: string) =>
	server.log.filter((entry) => entry.method === method && (last === undefined || entry.segments[entry.segments.length - 1] === last));
const table = (name: string, moduleName = 'bench') => server.store.table(moduleName, name);
const stored = (name: string, id: number, moduleName = 'bench') => {
	const t = table(name, moduleName);
	const record = t.records.get(id);
	return record && Object.fromEntries(t.fields.map((field) => [field.name, record.values[field.id]]));
};

describe('Record → Get Many', () => {
	it('reads every page of 100 until has_more is false: 10 050 records in 101 GETs', async () => {
		const { items: output, error } = await run({ operation: 'getAll', ...bulk('big'), returnAll: true });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(10_050);
		expect(new Set(output.map((item) => item.json.id)).size).toBe(10_050);
		// Simplified by default: the ID, then one key per field.
		expect(output[0].json).toMatchObject({ id: '1', name: 'Record 1', category: 'A' });
		const gets = requests('GET', 'records');
		expect(gets).toHaveLength(101);
		expect(gets.every((entry) => Number(entry.query.limit) === 100)).toBe(true);
		expect(gets.map((entry) => Number(entry.query.offset))).toEqual(Array.from({ length: 101 }, (_, i) => i * 100));
	});

	it('returns exactly Limit records and asks for no more than it needs', async () => {
		const { items: output } = await run({ operation: 'getAll', ...bulk('big'), returnAll: false, limit: 250 });
		expect(output).toHaveLength(250);
		expect(requests('GET', 'records').map((entry) => entry.query.limit)).toEqual(['100', '100', '50']);
	});

	it('filters, sorts and projects on the wire, and converts filter values for the field type', async () => {
		const { items: output, error } = await run({
			operation: 'getAll',
			...contacts,
			returnAll: true,
			filter: { conditions: [{ field: 'status', value: 'lead' }, { field: 'subscribed', value: 'true' }] },
			options: { sortField: 'score', fields: ['email', 'score'] },
		});
		expect(error).toBeUndefined();
		const [list] = requests('GET', 'records');
		expect(JSON.parse(list.query.filter)).toEqual({ status: 'Lead', subscribed: true });
		expect(list.query.sort).toBe('score');
		expect(list.query.fields).toBe('email,score');
		expect(output.length).toBeGreaterThan(0);
		const scores = output.map((item) => item.json.score as number);
		expect([...scores].sort((a, b) => a - b)).toEqual(scores);
		expect(Object.keys(output[0].json).sort()).toEqual(['email', 'id', 'score']);
	});

	it('an empty table gives no items; an unknown filter field is a clear error with close names', async () => {
		expect((await run({ operation: 'getAll', ...bulk('empty'), returnAll: true })).items).toEqual([]);
		server.clearLog();
		const { error } = await run({
			operation: 'getAll',
			...contacts,
			returnAll: true,
			filter: { conditions: [{ field: 'emial', value: 'x' }] },
		});
		expect(error?.message).toContain('Unknown field "emial"');
		expect(error?.description).toContain('"email"');
		expect(requests('GET', 'records')).toHaveLength(0);
	});
});

describe('Output', () => {
	it('Simplified keeps a field named like the record\'s own keys under values; a Simplified or Raw record maps back automatically', async () => {
		const t = seedBulkTable(server.store, { count: 0, tableName: 'shapes' });
		server.store.addFields(t, [{ name: 'action', labels: { '': 'Action' }, type: 'string' }]);
		const created = await run(
			{ operation: 'upsert', ...bulk('shapes'), matchField: 'email', ...autoMap },
			{ items: [{ json: { email: 'a@x.org', action: 'call', amount: 1 } }] },
		);
		expect(created.items[0].json).toEqual({
			id: '1',
			action: 'created',
			matchField: 'email',
			matchValue: 'a@x.org',
			email: 'a@x.org',
			amount: 1,
			values: { action: 'call' },
		});
		const [simplified] = (await run({ operation: 'getAll', ...bulk('shapes'), returnAll: true })).items;
		const [raw] = (await run({ operation: 'getAll', ...bulk('shapes'), returnAll: true, options: { output: 'raw' } })).items;
		expect(raw.json).toMatchObject({ id: '1', values: { email: 'a@x.org', action: 'call', amount: 1 } });
		server.clearLog();
		await run(
			{ operation: 'update', ...bulk('shapes'), recordId: '={{ $json.id }}', ...autoMap },
			{ items: [{ json: { ...simplified.json, amount: 2 } }, { json: { ...raw.json, values: { ...(raw.json.values as IDataObject), amount: 3 } } }] },
		);
		const sent = (requests('PATCH', 'records')[0].body as { records: IDataObject[] }).records;
		expect(sent.map((record) => [record.id, record.amount, record.action])).toEqual([
			[1, 2, 'call'],
			[1, 3, 'call'],
		]);
	});
});

describe('Record → Get', () => {
	it('GET …/record/{id} with a field projection', async () => {
		const { items: output } = await run({
			operation: 'get',
			...contacts,
			recordId: '7',
			options: { fields: ['email'], output: 'raw' },
		});
		expect(output[0].json).toEqual({ id: '7', values: { email: expect.stringContaining('@example.com') } });
		expect(server.log[server.log.length - 1]).toMatchObject({ segments: ['modules', 'crm', 'tables', 'contacts', 'record', '7'] });
	});

	it('a bad or missing ID: error items paired to their inputs under continueOnFail', async () => {
		const { items: output } = await run(
			{ operation: 'get', ...contacts, recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 'abc' } }, { json: { id: 999999 } }, { json: { id: 3 } }], continueOnFail: true },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.error).toContain('"abc" is not a record ID');
		expect(output[1].json).toMatchObject({ httpCode: '404' });
		expect(output[2].json).toMatchObject({ id: '3' });
	});
});

describe('Record → Create', () => {
	it('10 000 items in one POST (6 MB allows it); ids back to their items in order', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'created' });
		const { items: output, error } = await run(
			{ operation: 'create', ...bulk('created'), ...autoMap },
			{ items: items(10_000, (i) => ({ name: `n${i}`, amount: i, category: ['A', 'B', 'C'][i % 3], email: `c${i}@x.org` })) },
		);
		expect(error).toBeUndefined();
		expect(requests('POST', 'records')).toHaveLength(1);
		expect(output).toHaveLength(10_000);
		expect(output[0].json).toEqual({ id: '1', name: 'n0', amount: 0, category: 'A', email: 'c0@x.org' });
		expect(output[9999].pairedItem).toEqual({ item: 9999 });
		expect(stored('created', Number(output[4321].json.id))).toMatchObject({ name: 'n4321', amount: 4321 });
	});

	it('Batch Size and the 6 MB limit cut the POSTs: 3 000 items of 5 KB in three requests of at most 6 MB', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'sized' });
		const big = 'x'.repeat(5_000);
		await run({ operation: 'create', ...bulk('sized'), ...autoMap }, { items: items(3_000, (i) => ({ name: big, amount: i })) });
		const posts = requests('POST', 'records');
		// 3 000 × 5 KB = 15 MB: three bodies under 6 MiB each.
		expect(posts).toHaveLength(3);
		expect(posts.every((entry) => entry.bodyBytes <= 6 * 1024 * 1024)).toBe(true);
		expect(table('sized').records.size).toBe(3_000);
		server.clearLog();
		await run(
			{ operation: 'create', ...bulk('sized'), ...autoMap, options: { batchSize: 400 } },
			{ items: items(1_000, (i) => ({ amount: i })) },
		);
		expect(requests('POST', 'records').map((entry) => ((entry.body as { records: unknown[] }).records).length)).toEqual([400, 400, 200]);
	});

	it('the field mapping sends only what was filled in, converted for each type; computed fields are refused', async () => {
		const { items: output, error } = await run({
			operation: 'create',
			...contacts,
			...defineBelow({
				last_name: 'Doe',
				first_name: '',
				status: 'active',
				tags: 'vip, Partner',
				birthday: '1990-04-01T00:00:00',
				last_contact: '2026-02-01 10:30',
				company: '2',
				subscribed: 'yes',
				score: '12.5',
				notes: null,
			}),
		});
		expect(error).toBeUndefined();
		const [post] = requests('POST', 'records');
		expect((post.body as { records: IDataObject[] }).records).toEqual([
			{
				last_name: 'Doe',
				status: 'Active',
				tags: ['VIP', 'Partner'],
				birthday: '1990-04-01',
				last_contact: '2026-02-01T10:30:00Z',
				company: 2,
				subscribed: true,
				score: 12.5,
			},
		]);
		expect(output[0].json.id).toBe(String(DEMO4.contactCount + 1));

		server.clearLog();
		const refused = await run({ operation: 'create', ...contacts, ...json('{"full_name": "X"}') });
		expect(refused.error?.message).toContain('"full_name" in item 0 is read-only');
		expect(requests('POST', 'records')).toHaveLength(0);
	});

	it('bad input fails its item alone: the others are created in one request', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'mixed' });
		const { items: output } = await run(
			{ operation: 'create', ...bulk('mixed'), ...json('={{ JSON.stringify($json) }}') },
			{
				items: [
					{ json: { name: 'ok 1' } },
					{ json: { nmae: 'typo' } },
					{ json: { amount: 'twelve' } },
					{ json: { category: 'Z' } },
					{ json: { name: 'ok 2', active: 1 } },
				],
				continueOnFail: true,
			},
		);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(output[1].json.error).toContain('Unknown field "nmae" in item 1');
		expect(output[1].json.description).toContain('"name"');
		expect(output[2].json.error).toContain('Field "amount" in item 2: "twelve" is not a number');
		expect(output[3].json.error).toContain('"Z" is not a choice of this field ("A", "B", "C")');
		expect(output[4].json).toMatchObject({ name: 'ok 2', active: true });
		expect(requests('POST', 'records')).toHaveLength(1);
		expect(table('mixed').records.size).toBe(2);
	});

	it('a record too large on its own fails with Ninox 4\'s 413, its item named', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'huge' });
		const { items: output } = await run(
			{ operation: 'create', ...bulk('huge'), ...autoMap },
			{ items: [{ json: { name: 'x'.repeat(7 * 1024 * 1024) } }], continueOnFail: true },
		);
		expect(output[0].json).toMatchObject({ httpCode: '413' });
		expect(output[0].json.description).toContain('6 MB');
	});
});

describe('Record → Update', () => {
	it('PATCHes batches of {id, …values}, ids as integers; 10 000 updates in one request', async () => {
		seedBulkTable(server.store, { count: 10_000, tableName: 'upd' });
		const { items: output, error } = await run(
			{ operation: 'update', ...bulk('upd'), recordId: '={{ $json.id }}', ...autoMap },
			{ items: items(10_000, (i) => ({ id: String(i + 1), amount: -i })) },
		);
		expect(error).toBeUndefined();
		const patches = requests('PATCH', 'records');
		expect(patches).toHaveLength(1);
		expect((patches[0].body as { records: IDataObject[] }).records[5]).toEqual({ amount: -5, id: 6 });
		expect(output[5].json).toEqual({ id: '6', amount: -5 });
		expect(stored('upd', 6)).toMatchObject({ amount: -5, name: 'Record 6' });
	});

	it('a failed batch rolls back whole: its items become error items naming the cause, other batches go on', async () => {
		seedBulkTable(server.store, { count: 6, tableName: 'rollback' });
		const { items: output } = await run(
			{ operation: 'update', ...bulk('rollback'), recordId: '={{ $json.id }}', ...autoMap, options: { batchSize: 3 } },
			{ items: [1, 2, 999, 4, 5, 6].map((id) => ({ json: { id, name: `new ${id}` } })), continueOnFail: true },
		);
		expect(requests('PATCH', 'records')).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		for (const item of output.slice(0, 3)) {
			expect(item.json).toMatchObject({ httpCode: '404', rolledBack: true, batchItems: 'items 0–2' });
			expect(item.json.error).toContain('999');
			expect(item.json.description).toContain('none of its 3 records (items 0–2) was written');
		}
		expect(output[3].json).toEqual({ id: '4', name: 'new 4' });
		expect(stored('rollback', 1)).toMatchObject({ name: 'Record 1' });
		expect(stored('rollback', 4)).toMatchObject({ name: 'new 4' });
	});

	it('without continueOnFail the error stops the node and says what was written before', async () => {
		seedBulkTable(server.store, { count: 4, tableName: 'stop' });
		const { error } = await run(
			{ operation: 'update', ...bulk('stop'), recordId: '={{ $json.id }}', ...autoMap, options: { batchSize: 2 } },
			{ items: [1, 2, 3, 77].map((id) => ({ json: { id, amount: 1 } })) },
		);
		expect(error?.message).toContain('77');
		expect(error?.description).toContain('2 records (items 0–1) were written before this batch');
	});
});

describe('Record → Delete and Delete Many', () => {
	it('Delete: one ID per item, all in one transactional DELETE; a missing ID keeps the whole batch', async () => {
		seedBulkTable(server.store, { count: 10, tableName: 'del' });
		const { items: output } = await run(
			{ operation: 'delete', ...bulk('del'), recordId: '={{ $json.id }}' },
			{ items: [1, 2, 3].map((id) => ({ json: { id } })) },
		);
		expect(output.map((item) => item.json)).toEqual(['1', '2', '3'].map((id) => ({ id, deleted: true })));
		const [del] = requests('DELETE', 'records');
		expect(del.body).toEqual({ records: [1, 2, 3] });
		expect(table('del').records.size).toBe(7);

		server.clearLog();
		const failed = await run(
			{ operation: 'delete', ...bulk('del'), recordId: '={{ $json.id }}' },
			{ items: [4, 1].map((id) => ({ json: { id } })), continueOnFail: true },
		);
		expect(failed.items.every((item) => item.json.rolledBack === true)).toBe(true);
		expect(table('del').records.has(4)).toBe(true);
		// A delete is not idempotent: not resent after the 404.
		expect(requests('DELETE', 'records')).toHaveLength(1);
	});

	it('Delete Many: lists of IDs per item, one output per record, batched across items', async () => {
		seedBulkTable(server.store, { count: 20, tableName: 'delmany' });
		const { items: output } = await run(
			{ operation: 'deleteMany', ...bulk('delmany'), recordIds: '={{ $json.ids }}', options: { batchSize: 4 } },
			{ items: [{ json: { ids: '1, 2,3' } }, { json: { ids: [4, 5, '6'] } }, { json: { ids: 'x' } }], continueOnFail: true },
		);
		expect(requests('DELETE', 'records').map((entry) => entry.body)).toEqual([{ records: [1, 2, 3, 4] }, { records: [5, 6] }]);
		expect(output.filter((item) => item.json.deleted).map((item) => [item.pairedItem, item.json.id])).toEqual([
			[{ item: 0 }, '1'],
			[{ item: 0 }, '2'],
			[{ item: 0 }, '3'],
			[{ item: 1 }, '4'],
			[{ item: 1 }, '5'],
			[{ item: 1 }, '6'],
		]);
		expect(output[output.length - 1].json.error).toContain('"x" is not a record ID');
		expect(table('delmany').records.size).toBe(14);
	});
});

describe('Record → Create or Update', () => {
	it('POST …/records/upsert {matchField, records}: updates matches, creates the rest, in one request', async () => {
		seedBulkTable(server.store, { count: 5, tableName: 'ups' });
		const { items: output, error } = await run(
			{ operation: 'upsert', ...bulk('ups'), matchField: 'email', ...autoMap },
			{ items: [{ json: { email: 'record2@example.com', amount: 99 } }, { json: { email: 'new@example.com', name: 'New' } }] },
		);
		expect(error).toBeUndefined();
		const posts = requests('POST', 'upsert');
		expect(posts).toHaveLength(1);
		expect(posts[0].body).toEqual({
			matchField: 'email',
			records: [
				{ email: 'record2@example.com', amount: 99 },
				{ email: 'new@example.com', name: 'New' },
			],
		});
		expect(output.map((item) => item.json.matchValue)).toEqual(['record2@example.com', 'new@example.com']);
		expect(stored('ups', 2)).toMatchObject({ amount: 99 });
		expect(table('ups').records.size).toBe(6);
	});

	it('a 409: the items say which value matched more than one record', async () => {
		const t = seedBulkTable(server.store, { count: 2, tableName: 'dupes' });
		server.store.createRecords(t, [writeValues(server.store, t, { email: 'record1@example.com', name: 'twin' }, 'test')]);
		const { items: output } = await run(
			{ operation: 'upsert', ...bulk('dupes'), matchField: 'email', ...autoMap },
			{ items: [{ json: { email: 'record2@example.com' } }, { json: { email: 'record1@example.com' } }], continueOnFail: true },
		);
		expect(output).toHaveLength(2);
		for (const item of output) {
			expect(item.json).toMatchObject({ httpCode: '409' });
			expect(item.json.error).toContain('The email value "record1@example.com" (item 1) matches more than one record');
		}
	});

	it('an item without a match value and a match field that is not unique are refused before sending', async () => {
		seedBulkTable(server.store, { count: 1, tableName: 'nomatch' });
		const { items: output } = await run(
			{ operation: 'upsert', ...bulk('nomatch'), matchField: 'email', ...autoMap },
			{ items: [{ json: { name: 'no email' } }, { json: { email: 'a@b.c' } }], continueOnFail: true },
		);
		expect(output[0].json.error).toContain('Item 0 has no value for the match field "email"');
		expect(output[1].json.matchValue).toBe('a@b.c');
		const { error } = await run({ operation: 'upsert', ...bulk('nomatch'), matchField: 'name', ...json('{"name": "x"}') });
		expect(error?.message).toContain('The match field "name" is not unique');
	});
});

describe('Record → Import CSV', () => {
	const csvItem = (text: string, fileName = 'people.csv'): INodeExecutionData => ({
		json: {},
		binary: { data: { data: Buffer.from(text).toString('base64'), mimeType: 'text/csv', fileName } },
	});

	it('sends the file and the settings as multipart; the counts come back, with a warning for skipped rows', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'csv' });
		const { items: output, error } = await run(
			{
				operation: 'importCsv',
				...bulk('csv'),
				binaryPropertyName: 'data',
				importMode: 'append',
				mappings: { mapping: [{ csvColumnName: 'Name', fieldName: 'name' }, { csvColumnName: 'Amount', fieldName: 'amount' }] },
				options: { delimiter: ';', numberFormat: 'european' },
			},
			{ items: [csvItem('Name;Amount\nAnna;1,5\nBen;zwei\nCarl;3\n')] },
		);
		expect(error).toBeUndefined();
		const [post] = requests('POST', 'csv');
		const { fields, files } = (post.body as { multipart: { fields: IDataObject; files: Array<{ name: string; filename: string }> } }).multipart;
		expect(fields).toMatchObject({ delimiter: ';', numberFormat: 'european', importMode: 'append', hasHeader: 'true' });
		expect(JSON.parse(fields.mappings as string)).toEqual([
			{ csvColumnName: 'Name', fieldName: 'name' },
			{ csvColumnName: 'Amount', fieldName: 'amount' },
		]);
		expect(files[0]).toMatchObject({ name: 'file', filename: 'people.csv' });
		expect(output[0].json).toMatchObject({ rowsImported: 2, rowsSkipped: 1, rowsUpdated: 0 });
		expect(output[0].json.warning).toContain('1 row was skipped');
		expect(table('csv').records.size).toBe(2);
	});

	it('update mode needs one key column; a missing binary field is a clear error; nothing is sent', async () => {
		const missingKey = await run({ operation: 'importCsv', ...bulk('csv'), importMode: 'update' }, { items: [csvItem('name\nx\n')] });
		expect(missingKey.error?.message).toContain('needs exactly one key column');
		const noFile = await run({ operation: 'importCsv', ...bulk('csv'), binaryPropertyName: 'file' }, { items: [csvItem('a')] });
		expect(noFile.error?.message).toContain('Item 0 has no binary field "file"');
		expect(noFile.error?.description).toContain('Its binary fields are: data');
		expect(requests('POST', 'csv')).toHaveLength(0);
	});
});

describe('faults: retried where safe, never resent where Ninox 4 may have applied it', () => {
	it('a 429 on a create waits and sends it again: the records exist once', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'f429' });
		server.faults.add({ kind: '429', retryAfterSeconds: 0, match: { method: 'POST' } });
		const { items: output, error } = await run({ operation: 'create', ...bulk('f429'), ...autoMap }, { items: items(3, (i) => ({ amount: i })) });
		expect(error).toBeUndefined();
		expect(requests('POST', 'records').map((entry) => entry.status)).toEqual([429, 201]);
		expect(output.map((item) => item.json.id)).toEqual(['1', '2', '3']);
		expect(table('f429').records.size).toBe(3);
	});

	it('a create whose answer was lost is not sent again: its items are in doubt', async () => {
		seedBulkTable(server.store, { count: 0, tableName: 'lost' });
		server.faults.add({ kind: 'reset-after', match: { method: 'POST' } });
		const { items: output } = await run(
			{ operation: 'create', ...bulk('lost'), ...autoMap },
			{ items: items(2, (i) => ({ amount: i })), continueOnFail: true },
		);
		expect(requests('POST', 'records')).toHaveLength(1);
		expect(output.map((item) => item.json.inDoubt)).toEqual([true, true]);
		expect(table('lost').records.size).toBe(2);
	});

	it('a 502 on an update is retried (ids and values make it safe); a lost delete is not resent', async () => {
		seedBulkTable(server.store, { count: 3, tableName: 'f502' });
		server.faults.add({ kind: '502', match: { method: 'PATCH' } });
		const updated = await run(
			{ operation: 'update', ...bulk('f502'), recordId: '={{ $json.id }}', ...autoMap },
			{ items: [{ json: { id: 1, amount: 7 } }] },
		);
		expect(updated.error).toBeUndefined();
		expect(requests('PATCH', 'records').map((entry) => entry.status)).toEqual([502, 200]);
		server.faults.add({ kind: 'reset-after', match: { method: 'DELETE' } });
		const deleted = await run(
			{ operation: 'delete', ...bulk('f502'), recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 2 } }], continueOnFail: true },
		);
		expect(requests('DELETE', 'records')).toHaveLength(1);
		expect(deleted.items[0].json.inDoubt).toBe(true);
	});
});

describe('the field mapper', () => {
	it("is built from the table's fields with Ninox 4's types; computed fields read-only", async () => {
		const { fields, emptyFieldsNotice } = await callNodeMethod<ResourceMapperFields>(
			NINOX4_NODE,
			'resourceMapping',
			'getColumns',
			contacts,
			localNinox4Credentials(server),
		);
		const byId = Object.fromEntries(fields.map((field) => [field.id, field]));
		expect(byId.status).toMatchObject({ type: 'options', options: ['Lead', 'Active', 'Inactive'].map((n) => ({ name: n, value: n })) });
		expect(byId.tags).toMatchObject({ type: 'string', displayName: 'tags (any of: VIP, Newsletter, Partner, Supplier; separate with commas)' });
		expect(byId.subscribed.type).toBe('boolean');
		expect(byId.birthday).toMatchObject({ type: 'string', displayName: 'birthday (date, e.g. 2024-05-31)' });
		expect(byId.last_contact.type).toBe('dateTime');
		expect(byId.company).toMatchObject({ type: 'number', displayName: 'company (record ID of the referenced table)' });
		expect(byId.last_name.required).toBe(true);
		expect(byId.full_name).toMatchObject({ readOnly: true, displayName: 'full_name (function)' });
		// Every field starts removed: only those the user adds are written.
		expect(fields.every((field) => field.removed === true)).toBe(true);
		// under Map Automatically: what is written, never "no fields"
		expect(emptyFieldsNotice).toMatch(/^Map Automatically writes each input field named like a field of table crm\/contacts \(/);
	});

	it('says why the fields could not be loaded', async () => {
		const { fields, emptyFieldsNotice } = await callNodeMethod<ResourceMapperFields>(
			NINOX4_NODE,
			'resourceMapping',
			'getColumns',
			{ module: byName('crm'), table: byName('nope') },
			localNinox4Credentials(server),
		);
		expect(fields).toEqual([]);
		expect(emptyFieldsNotice).toContain('Could not load the fields of table crm/nope');
		expect(emptyFieldsNotice).toContain('404');
	});

	it('a field removed in the mapper is not written, even if the editor kept a value for it', async () => {
		seedBulkTable(server.store, { count: 1, tableName: 'removed' });
		await run({
			operation: 'update',
			...bulk('removed'),
			recordId: '1',
			fieldsInput: 'mapping',
			columns: {
				mappingMode: 'defineBelow',
				value: { amount: 5, active: false },
				matchingColumns: [],
				schema: [
					{ id: 'amount', displayName: 'amount', type: 'number', display: true, required: false, defaultMatch: false, removed: false },
					{ id: 'active', displayName: 'active', type: 'boolean', display: true, required: false, defaultMatch: false, removed: true },
				],
			},
		});
		expect((requests('PATCH', 'records')[0].body as { records: IDataObject[] }).records).toEqual([{ amount: 5, id: 1 }]);
	});
});
