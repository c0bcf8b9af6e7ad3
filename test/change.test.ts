import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

const TEAM = DEMO.teamId;
const DB = DEMO.dbId;
const locator = (value: string) => ({ __rl: true, mode: 'id', value });

let server: NinoxServer;
let customers: string;
let orders: string;
/** The database sequence before the changes the tests look for. */
let before: number;
let clock = Date.UTC(2024, 5, 1, 12, 0, 0);

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'empty' });
	// Every write one second later than the one before: creation and modification times differ when they should.
	server.store.now = () => (clock += 1000);
	customers = server.store.addTable(TEAM, DB, {
		name: 'Customers',
		fields: [
			{ name: 'Name', type: 'string' },
			{ name: 'Kind', type: 'choice', choices: ['Person', 'Company'] },
			{ name: 'Tags', type: 'multi', choices: ['Red', 'Green', 'Blue'] },
			{ name: 'Birthday', type: 'date' },
			{ name: 'Last Call', type: 'datetime' },
			{ name: 'Score', type: 'number' },
			{ name: 'Shout', type: 'string', fn: 'Name + "!"' },
		],
	}).id;
	orders = server.store.addTable(TEAM, DB, {
		name: 'Orders',
		fields: [
			{ name: 'Title', type: 'string' },
			{ name: 'Paid', type: 'boolean' },
		],
	}).id;
	// Records 1-3 of Customers and 1-2 of Orders exist before `before`.
	server.store.insertRecords(TEAM, DB, customers, [
		{ Name: 'Ada', Kind: 'Person', Tags: ['Red'], Birthday: '1815-12-10', Score: 1 },
		{ Name: 'Brunel GmbH', Kind: 'Company', Score: 2 },
		{ Name: 'Zoë Ünal', Kind: 'Person', Tags: ['Green', 'Blue'], 'Last Call': '2024-05-31T09:30:00' },
	]);
	server.store.insertRecords(TEAM, DB, orders, [{ Title: 'First' }, { Title: 'Second' }]);
	before = server.store.seq(TEAM, DB);

	// After `before`: one update, one delete and one create in Customers; a create that is edited again in Orders.
	server.store.updateRecord(TEAM, DB, customers, 3, { Tags: ['Blue'], Score: 3.5 });
	server.store.deleteRecord(TEAM, DB, customers, 2);
	server.store.insertRecords(TEAM, DB, customers, [
		{ Name: '美咲', Kind: 'Company', Birthday: '2001-02-03', 'Last Call': '2024-06-01T08:15:00' },
	]);
	server.store.insertRecords(TEAM, DB, orders, [{ Title: 'Third' }]);
	server.store.updateRecord(TEAM, DB, orders, 3, { Paid: true });
});
beforeEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(operation: string, parameters: INodeParameters, continueOnFail = false) {
	return await runNode({
		parameters: { resource: 'change', operation, team: locator(TEAM), database: locator(DB), ...parameters },
		credentials: localCredentials(server),
		continueOnFail,
	});
}

/** A record's fields as the records endpoint shows them (by name, choices as captions), without computed fields. */
function recordFields(tableId: string, recordId: number): IDataObject {
	const fields = { ...server.store.getRecord(TEAM, DB, tableId, recordId)!.fields } as IDataObject;
	delete fields.Shout;
	return fields;
}

function byRecord(items: Array<{ json: IDataObject }>): Record<string, IDataObject> {
	return Object.fromEntries(items.map(({ json }) => [`${json.tableId as string}${json.recordId as number}`, json]));
}

const changesPath = (...segments: Array<string | number>) =>
	['teams', TEAM, 'databases', DB, ...segments, 'changes'];

describe('Get Database Changes', () => {
	it('raw: the feed as one item, one request', async () => {
		const { items, error } = await run('getDatabaseChanges', { sinceSequence: before, output: 'raw' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const feed = items[0].json;
		expect(feed.seq).toBe(server.store.seq(TEAM, DB));
		expect(feed.nextRids).toEqual({ [customers]: 5, [orders]: 4 });
		expect(Object.keys(feed.updates as IDataObject).sort()).toEqual(['A3', 'A4', 'B3']);
		expect(feed.removes).toEqual(['A2']);
		// field ids and raw values, as Ninox sends them
		expect((feed.updates as Record<string, IDataObject>).A4).toMatchObject({ _id: 'A4', A: '美咲', B: '2' });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: changesPath(),
			query: { sinceSq: String(before) },
			status: 200,
		});
		expect(server.requests[0].rawPath).toBe(`/v1/teams/${TEAM}/databases/${DB}/changes`);
	});

	it('readable (the default): one item per changed record, fields by name, the schema read once', async () => {
		const { items, error } = await run('getDatabaseChanges', { sinceSequence: before });
		expect(error).toBeUndefined();
		const seq = server.store.seq(TEAM, DB);
		const records = byRecord(items);
		expect(Object.keys(records)).toEqual(['A2', 'A3', 'A4', 'B3']);

		// created after `before` and not edited since: created; choice id → caption, dates → Ninox strings
		expect(records.A4).toEqual({
			event: 'created',
			tableId: 'A',
			tableName: 'Customers',
			recordId: 4,
			sequence: seq,
			createdAt: records.A4.modifiedAt,
			modifiedAt: expect.stringMatching(/^2024-06-01T12:\d\d:\d\d\.000Z$/),
			fields: { Name: '美咲', Kind: 'Company', Birthday: '2001-02-03', 'Last Call': '2024-06-01T08:15:00' },
		});
		expect(records.A4.fields).toEqual(recordFields(customers, 4));
		// existed before: updated, with its whole latest state (multi choice ids → captions)
		expect(records.A3).toMatchObject({ event: 'updated', tableName: 'Customers', recordId: 3 });
		expect(records.A3.fields).toEqual({ Name: 'Zoë Ünal', Kind: 'Person', Tags: ['Blue'], 'Last Call': '2024-05-31T09:30:00', Score: 3.5 });
		expect(records.A3.fields).toEqual(recordFields(customers, 3));
		expect(Date.parse(records.A3.modifiedAt as string)).toBeGreaterThan(Date.parse(records.A3.createdAt as string));
		// deleted: only the ids are known
		expect(records.A2).toEqual({ event: 'deleted', tableId: 'A', tableName: 'Customers', recordId: 2, sequence: seq });
		// created after `before` but edited again since: the feed cannot tell, so "updated" (the documented rule)
		expect(records.B3).toMatchObject({ event: 'updated', tableName: 'Orders', fields: { Title: 'Third', Paid: true } });

		expect(server.requests.map((r) => [r.method, r.segments.slice(4).join('/')])).toEqual([
			['GET', 'changes'],
			['GET', 'tables'],
		]);
	});

	it('since 0 every record is created (and deleted ones are gone)', async () => {
		const { items } = await run('getDatabaseChanges', { sinceSequence: 0 });
		const records = byRecord(items);
		expect(Object.keys(records)).toEqual(['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3']);
		expect(items.filter(({ json }) => json.event === 'created')).toHaveLength(6);
		expect(records.A2.event).toBe('deleted');
		expect(records.A1.fields).toEqual(recordFields(customers, 1));
		expect(records.A1.fields).toEqual({ Name: 'Ada', Kind: 'Person', Tags: ['Red'], Birthday: '1815-12-10', Score: 1 });
		expect(server.requests[0].query).toEqual({ sinceSq: '0' });
	});

	it('nothing changed: no items, one request (no schema)', async () => {
		const { items, error } = await run('getDatabaseChanges', { sinceSequence: server.store.seq(TEAM, DB) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		expect(server.requests).toHaveLength(1);
	});

	it('takes the sequence from an expression per item', async () => {
		const { items } = await runNode({
			parameters: {
				resource: 'change',
				operation: 'getDatabaseChanges',
				team: locator(TEAM),
				database: locator(DB),
				sinceSequence: '={{ $json.since }}',
				output: 'raw',
			},
			credentials: localCredentials(server),
			items: [{ json: { since: 0 } }, { json: { since: before } }],
		});
		expect(items).toHaveLength(2);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(server.requests.map((r) => r.query.sinceSq)).toEqual(['0', String(before)]);
	});

	it('rejects a negative or fractional sequence before any request', async () => {
		const { error } = await run('getDatabaseChanges', { sinceSequence: -1 });
		expect(error?.message).toBe('Since Sequence must be a whole number from 0, not "-1"');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.context?.itemIndex).toBe(0);
		expect(server.requests).toHaveLength(0);

		const { items } = await run('getDatabaseChanges', { sinceSequence: 1.5 }, true);
		expect(items).toEqual([
			{
				json: expect.objectContaining({ error: 'Since Sequence must be a whole number from 0, not "1.5"' }),
				pairedItem: { item: 0 },
			},
		]);
		expect(server.requests).toHaveLength(0);
	});

	it('an unknown database is a NodeApiError with Ninox message', async () => {
		const { error } = await run('getDatabaseChanges', { database: locator('nope'), sinceSequence: 0 });
		expect(error?.message).toMatch(/^Database (\S+ )?not found.*\(404\)$/);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('404');
		expect(JSON.stringify(error)).not.toContain(server.token);
	});
});

describe('Get Table Changes', () => {
	it('raw: the table feed, only that table', async () => {
		const { items } = await run('getTableChanges', { table: locator(orders), sinceSequence: before, output: 'raw' });
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ nextRid: 4, removes: [], seq: server.store.seq(TEAM, DB) });
		expect(Object.keys(items[0].json.updates as IDataObject)).toEqual(['B3']);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: changesPath('tables', orders),
			query: { sinceSq: String(before) },
		});
	});

	it('readable: items of the table, its own schema fetched (GET …/tables/{tid})', async () => {
		const { items } = await run('getTableChanges', { table: locator(customers), sinceSequence: before });
		const records = byRecord(items);
		expect(Object.keys(records)).toEqual(['A2', 'A3', 'A4']);
		expect(records.A4).toMatchObject({ event: 'created', tableName: 'Customers' });
		expect(records.A3).toMatchObject({ event: 'updated', fields: recordFields(customers, 3) });
		expect(records.A2).toMatchObject({ event: 'deleted', recordId: 2 });
		expect(server.requests.map((r) => r.segments.slice(4).join('/'))).toEqual([
			`tables/${customers}/changes`,
			`tables/${customers}`,
		]);
	});

	it('an unknown table is a 404 NodeApiError; with continueOnFail an error item', async () => {
		const { items } = await run('getTableChanges', { table: locator('ZZ'), sinceSequence: 0 }, true);
		expect(items).toEqual([
			{ json: expect.objectContaining({ error: expect.stringMatching(/^Table (\S+ )?not found.*\(404\)$/), httpCode: '404' }), pairedItem: { item: 0 } },
		]);
	});
});

describe('Get Record Changes', () => {
	it('raw: the record feed', async () => {
		const { items } = await run('getRecordChanges', {
			table: locator(customers),
			recordId: '3',
			sinceSequence: before,
			output: 'raw',
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ nextRid: 5, removes: [], seq: server.store.seq(TEAM, DB) });
		expect(Object.keys(items[0].json.updates as IDataObject)).toEqual(['A3']);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: changesPath('tables', customers, 'records', '3'),
			query: { sinceSq: String(before) },
		});
	});

	it('readable: the record, and a deleted record as its ids ("A2" accepted as the id)', async () => {
		const updated = await run('getRecordChanges', { table: locator(customers), recordId: 'A3', sinceSequence: before });
		expect(updated.items.map(({ json }) => json)).toEqual([
			expect.objectContaining({ event: 'updated', tableId: 'A', recordId: 3, fields: recordFields(customers, 3) }),
		]);
		const deleted = await run('getRecordChanges', { table: locator(customers), recordId: 2, sinceSequence: before });
		expect(deleted.items.map(({ json }) => json)).toEqual([
			{ event: 'deleted', tableId: 'A', tableName: 'Customers', recordId: 2, sequence: server.store.seq(TEAM, DB) },
		]);
		expect(server.requests.map((r) => r.segments.slice(4).join('/'))).toEqual([
			`tables/${customers}/records/3/changes`,
			`tables/${customers}`,
			`tables/${customers}/records/2/changes`,
			`tables/${customers}`,
		]);
	});

	it('a record without changes since the sequence gives no items', async () => {
		const { items, error } = await run('getRecordChanges', { table: locator(customers), recordId: 1, sinceSequence: before });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		expect(server.requests).toHaveLength(1);
	});

	it('a bad record id names the field and sends nothing', async () => {
		const { error } = await run('getRecordChanges', { table: locator(customers), recordId: 'x1', sinceSequence: 0 });
		expect(error?.message).toBe('Record ID "x1" is not a record ID');
		expect(server.requests).toHaveLength(0);
	});
});
