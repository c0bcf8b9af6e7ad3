/** Record → Create or Update (upsert): by record ID (Ninox's `_upsert`) and by a match field. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';
import { FILTER_LOOKUP_MAX_VALUES } from '../nodes/Ninox/actions/record/upsert.operation';

let server: NinoxServer;

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const where = (tableId: string) => ({ team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId(tableId) });
const contacts = where(DEMO.contactTableId);
const autoMap = { fieldsInput: 'mapping', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] } };

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
});
afterEach(() => {
	server.clearLog();
	server.faults.clear();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(
	parameters: INodeParameters,
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	// Ninox's own record shape unless a test asks otherwise (the default, Simplified, has tests of its own).
	const withOutput = { ...parameters, options: { output: 'raw', ...(parameters.options as object | undefined) } };
	return await runNode({ parameters: { resource: 'record', operation: 'upsert', ...withOutput }, credentials: localCredentials(server), ...options });
}

const fieldId = (tableId: string, name: string) => server.store.table(DEMO.teamId, DEMO.dbId, tableId).fieldByName(name)!.id;
const rows = (tableId: string) => server.store.getRecords(DEMO.teamId, DEMO.dbId, tableId);
const calls = () => server.requests.map((request) => `${request.method} ${request.segments.slice(4).join('/') || 'database'}`);

/** A fresh table of people with an Email to match on. */
function peopleTable(name: string, people: Array<{ Email: string; Name: string; Visits?: number }>): string {
	const id = server.store.addTable(DEMO.teamId, DEMO.dbId, {
		name,
		fields: [
			{ name: 'Email', type: 'email' },
			{ name: 'Name', type: 'string' },
			{ name: 'Visits', type: 'number' },
			{ name: 'Greeting', type: 'string', fn: '"Hi " + Name' },
		],
	}).id;
	server.store.insertRecords(DEMO.teamId, DEMO.dbId, id, people);
	return id;
}

describe('Upsert by record ID', () => {
	it('sends [{"_upsert": true, "_id": n, "<field id>": value}] and outputs fields by name', async () => {
		const before = rows('A').find((r) => r.id === 3)!;
		const { items, error } = await run(
			{ ...contacts, upsertBy: 'id', recordId: '={{ $json.id }}', ...autoMap },
			{
				items: [
					{ json: { id: 3, 'First Name': 'Alfred', Score: 11 } },
					{ json: { id: 1000, 'First Name': 'Caroline', 'Last Name': 'Schultz', Status: 'Lead' } },
				],
			},
		);
		expect(error).toBeUndefined();
		const post = server.requests.find((request) => request.method === 'POST')!;
		const id = (name: string) => fieldId('A', name);
		expect(post.body).toEqual([
			{ _upsert: true, _id: 3, [id('First Name')]: 'Alfred', [id('Score')]: 11 },
			{ _upsert: true, _id: 1000, [id('First Name')]: 'Caroline', [id('Last Name')]: 'Schultz', [id('Status')]: 'Lead' },
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({ id: 3, fields: { 'First Name': 'Alfred', Score: 11, 'Last Name': before.fields['Last Name'] } });
		expect(items[1].json).toMatchObject({
			id: 1000,
			fields: { 'First Name': 'Caroline', 'Last Name': 'Schultz', Status: 'Lead', 'Full Name': 'Caroline Schultz' },
		});
		expect(typeof items[1].json.modifiedAt).toBe('string');
		// the table as it should be: 3 merged, 1000 created with exactly that id
		const after = rows('A');
		expect(after.find((r) => r.id === 3)!.fields).toEqual({ ...before.fields, 'First Name': 'Alfred', Score: 11, 'Full Name': `Alfred ${before.fields['Last Name']}` });
		expect(after.find((r) => r.id === 1000)!.fields).toMatchObject({ 'First Name': 'Caroline', Status: 'Lead' });
		// schema, write, and the database schema to name the formula field in the answer
		expect(calls()).toEqual(['GET tables/A', 'POST tables/A/records', 'GET database']);
	});

	it('keeps field ids in the output when asked, and resends after a 502 (id-keyed: safe)', async () => {
		server.faults.add({ kind: '502', match: { method: 'POST' } });
		const { items } = await run(
			{ ...contacts, upsertBy: 'id', recordId: '4', ...autoMap, options: { outputFieldIds: true } },
			{ items: [{ json: { Score: 12 } }] },
		);
		expect(server.requests.filter((request) => request.method === 'POST').map((request) => request.status)).toEqual([502, 200]);
		expect(items[0].json).toMatchObject({ id: 4, fields: { [fieldId('A', 'Score')]: 12 } });
	});

	it('rejects a formula field and a bad id before sending; paired errors under continueOnFail', async () => {
		const formula = await run({ ...contacts, upsertBy: 'id', recordId: '4', fieldsInput: 'json', fieldsJson: '{"Full Name": "x"}' });
		expect(formula.error?.message).toBe('Field "Full Name" in item 0 is read-only: it is a formula field');
		const { items } = await run(
			{ ...contacts, upsertBy: 'id', recordId: '={{ $json.id }}', ...autoMap },
			{ items: [{ json: { id: 'abc', Score: 1 } }, { json: { id: 6, Scroe: 1 } }, { json: { id: 6, Score: 2 } }], continueOnFail: true },
		);
		expect(items.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			['Record ID "abc" is not a record ID', { item: 0 }],
			['Unknown field "Scroe" in item 1: table "Contact" has no such field', { item: 1 }],
			[6, { item: 2 }],
		]);
		expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	});
});

describe('Upsert by field value', () => {
	it('looks existing rows up once and writes updates and creates in ONE batch', async () => {
		const tableId = peopleTable('People', [
			{ Email: 'ann@example.com', Name: 'Ann', Visits: 1 },
			{ Email: 'bob@example.com', Name: 'Bob', Visits: 1 },
			{ Email: 'cy@example.com', Name: 'Cy', Visits: 1 },
		]);
		const { items, error } = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap },
			{
				items: [
					{ json: { Email: 'bob@example.com', Visits: 2 } },
					{ json: { Email: 'dora@example.com', Name: 'Dora', Visits: 1 } },
					{ json: { Email: 'ann@example.com', Name: 'Ann B.' } },
					{ json: { Email: 'dora@example.com', Visits: 5 } },
					{ json: { Email: 'eve@example.com', Name: 'Eve' } },
				],
			},
		);
		expect(error).toBeUndefined();
		// schema, one page of the table, one write
		expect(calls()).toEqual([`GET tables/${tableId}`, `GET tables/${tableId}/records`, `POST tables/${tableId}/records`]);
		expect(server.requests[1].query).toEqual({ page: '0', perPage: '1000' });
		const write = server.requests[2];
		expect(write.body).toEqual([
			{ id: 2, fields: { Email: 'bob@example.com', Visits: 2 } },
			{ fields: { Email: 'dora@example.com', Name: 'Dora', Visits: 5 } },
			{ id: 1, fields: { Email: 'ann@example.com', Name: 'Ann B.' } },
			{ fields: { Email: 'eve@example.com', Name: 'Eve' } },
		]);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[2, { item: 0 }],
			[4, { item: 1 }],
			[1, { item: 2 }],
			[4, { item: 3 }],
			[5, { item: 4 }],
		]);
		expect(rows(tableId).map((r) => [r.id, r.fields.Email, r.fields.Name, r.fields.Visits])).toEqual([
			[1, 'ann@example.com', 'Ann B.', 1],
			[2, 'bob@example.com', 'Bob', 2],
			[3, 'cy@example.com', 'Cy', 1],
			[4, 'dora@example.com', 'Dora', 5],
			[5, 'eve@example.com', 'Eve', undefined],
		]);
	});

	it('updates only (nothing new): the batch is id-keyed and may be resent', async () => {
		const tableId = peopleTable('Regulars', [{ Email: 'a@x.org', Name: 'A' }]);
		server.faults.add({ kind: '502', match: { method: 'POST' } });
		const { items } = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap },
			{ items: [{ json: { Email: 'a@x.org', Visits: 9 } }] },
		);
		expect(items[0].json.fields).toEqual({ Email: 'a@x.org', Name: 'A', Visits: 9, Greeting: 'Hi A' });
		expect(server.requests.filter((request) => request.method === 'POST').map((request) => request.status)).toEqual([502, 200]);
	});

	it('never resends a batch with creates that may have been applied', async () => {
		const tableId = peopleTable('Newcomers', []);
		server.faults.add({ kind: 'reset-after', match: { method: 'POST' } });
		const { items } = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap },
			{ items: [{ json: { Email: 'new@x.org' } }], continueOnFail: true },
		);
		expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(items).toEqual([{ json: expect.objectContaining({ inDoubt: true }), pairedItem: { item: 0 } }]);
		expect(rows(tableId)).toHaveLength(1);
	});

	it('treats a value shared by several rows as an error, or updates them all when asked', async () => {
		const tableId = peopleTable('Doubles', [
			{ Email: 'twin@x.org', Name: 'One' },
			{ Email: 'twin@x.org', Name: 'Two' },
			{ Email: 'solo@x.org', Name: 'Solo' },
		]);
		const input = [{ json: { Email: 'twin@x.org', Visits: 3 } }, { json: { Email: 'solo@x.org', Visits: 4 } }];
		const failed = await run({ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap }, { items: input });
		expect(failed.error?.message).toBe('2 records of table "Doubles" have Email = "twin@x.org" (item 0)');
		expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(0);

		server.clearLog();
		const partly = await run({ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap }, { items: input, continueOnFail: true });
		expect(partly.items.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			['2 records of table "Doubles" have Email = "twin@x.org" (item 0)', { item: 0 }],
			[3, { item: 1 }],
		]);

		const all = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap, options: { onDuplicates: 'updateAll' } },
			{ items: input },
		);
		expect(all.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[1, { item: 0 }],
			[2, { item: 0 }],
			[3, { item: 1 }],
		]);
		expect(rows(tableId).map((r) => r.fields.Visits)).toEqual([3, 3, 4]);
	});

	it('in a table of more than 1000 rows, looks few values up with one filtered request each', async () => {
		const people = Array.from({ length: 1500 }, (_, i) => ({ Email: `p${i}@big.org`, Name: `P${i}` }));
		const tableId = peopleTable('Crowd', people);
		const { items } = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap },
			{ items: [{ json: { Email: 'p1400@big.org', Visits: 1 } }, { json: { Email: 'new@big.org', Name: 'New' } }] },
		);
		expect(items.map((item) => item.json.id)).toEqual([1401, 1501]);
		const email = fieldId(tableId, 'Email');
		expect(calls()).toEqual([
			`GET tables/${tableId}`,
			`GET tables/${tableId}/records`,
			`GET tables/${tableId}/records`,
			`GET tables/${tableId}/records`,
			`POST tables/${tableId}/records`,
		]);
		expect(server.requests.slice(2, 4).map((request) => request.query.filters)).toEqual([
			JSON.stringify({ [email]: 'p1400@big.org' }),
			JSON.stringify({ [email]: 'new@big.org' }),
		]);

		// with many values, reading the whole table is cheaper
		server.clearLog();
		const many = Array.from({ length: FILTER_LOOKUP_MAX_VALUES + 1 }, (_, i) => ({ json: { Email: `p${i}@big.org`, Visits: 2 } }));
		const { items: updated } = await run({ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap }, { items: many });
		expect(updated.map((item) => item.json.id)).toEqual(many.map((_, i) => i + 1));
		expect(server.requests.filter((request) => request.method === 'GET' && request.query.filters !== undefined)).toHaveLength(0);
		// 1 500 rows: page 0 (read first to size the table), then page 1 — each page read once.
		expect(
			server.requests
				.filter((request) => request.segments.at(-1) === 'records' && request.method === 'GET')
				.map((request) => request.query.page),
		).toEqual(['0', '1']);
	});

	it('matches numbers and dates as Ninox shows them, and reports a missing match value', async () => {
		const tableId = server.store.addTable(DEMO.teamId, DEMO.dbId, {
			name: 'Invoices',
			fields: [
				{ name: 'Number', type: 'number' },
				{ name: 'Due', type: 'date' },
			],
		}).id;
		server.store.insertRecords(DEMO.teamId, DEMO.dbId, tableId, [{ Number: 1001, Due: '2024-01-31' }]);
		const { items, error } = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Number', ...autoMap },
			{ items: [{ json: { Number: '1001', Due: '2024-02-29T00:00:00' } }] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: 1, fields: { Number: 1001, Due: '2024-02-29' } });

		const missing = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Number', ...autoMap },
			{ items: [{ json: { Due: '2024-03-01' } }] },
		);
		expect(missing.error?.message).toBe('The match field "Number" has no value in item 0');

		const unknown = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Numbr', ...autoMap },
			{ items: [{ json: { Number: 1 } }] },
		);
		expect(unknown.error?.message).toBe('Unknown match field "Numbr": table "Invoices" has no such field');
		expect(unknown.error?.description).toBe('Did you mean "Number"?');
	});

	it('outputs field ids when asked', async () => {
		const tableId = peopleTable('Ids', [{ Email: 'i@x.org', Name: 'I' }]);
		const { items } = await run(
			{ ...where(tableId), upsertBy: 'field', matchField: 'Email', ...autoMap, options: { outputFieldIds: true } },
			{ items: [{ json: { Email: 'i@x.org', Visits: 1 } } as { json: IDataObject }] },
		);
		expect(items[0].json.fields).toEqual({
			[fieldId(tableId, 'Email')]: 'i@x.org',
			[fieldId(tableId, 'Name')]: 'I',
			[fieldId(tableId, 'Visits')]: 1,
			[fieldId(tableId, 'Greeting')]: 'Hi I',
		});
	});
});
