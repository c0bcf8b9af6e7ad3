import type { INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
/** A database of the demo team without any tables. */
let emptyDbId: string;

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const team = byId(DEMO.teamId);
const database = byId(DEMO.dbId);

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
	emptyDbId = server.store.addDatabase(DEMO.teamId, { name: 'Leer' }).id;
	// Unicode table and field names travel unchanged.
	server.store.addTable(DEMO.team2Id, DEMO.db2Id, {
		name: 'Aufgaben – Übersicht 東京',
		fields: [
			{ name: 'Größe "m²"', type: 'number' },
			{ name: 'Zustand', type: 'choice', choices: ['Offen', 'Erledigt ✓'] },
		],
	});
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, options: { items?: Array<{ json: Record<string, string> }>; continueOnFail?: boolean } = {}) {
	return await runNode({ parameters, credentials: localCredentials(server), ...options });
}

describe('Database → Get Many', () => {
	it('lists the databases of a team: GET /teams/{t}/databases', async () => {
		const { items, error } = await run({ resource: 'database', operation: 'getAll', team, returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			{ id: DEMO.dbId, name: DEMO.dbName },
			{ id: emptyDbId, name: 'Leer' },
		]);
		expect(items.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: ['teams', DEMO.teamId, 'databases'],
			query: {},
			status: 200,
		});
	});

	it('honours the limit', async () => {
		const { items } = await run({ resource: 'database', operation: 'getAll', team, returnAll: false, limit: 1 });
		expect(items.map((item) => item.json.id)).toEqual([DEMO.dbId]);
	});

	it('answers an unknown team with a clear error, and an error item under continueOnFail', async () => {
		const parameters = { resource: 'database', operation: 'getAll', team: byId('={{ $json.team }}'), returnAll: true };
		const failed = await run(parameters, { items: [{ json: { team: 'noSuchTeam' } }] });
		expect(failed.error?.message).toMatch(/^Team (\S+ )?not found.*\(404\)$/);

		const { items, error } = await run(parameters, {
			items: [{ json: { team: 'noSuchTeam' } }, { json: { team: DEMO.team2Id } }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/^Team (\S+ )?not found.*\(404\)$/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toEqual({ id: DEMO.db2Id, name: DEMO.db2Name });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('Database → Get Schema', () => {
	it('returns settings and schema as Ninox answers them, formula fields included', async () => {
		const { items, error } = await run({ resource: 'database', operation: 'getSchema', team, database });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const { settings, schema } = items[0].json as {
			settings: Record<string, unknown>;
			schema: { seq: number; version: number; types: Record<string, { caption: string; fields: Record<string, { caption: string; base: string; fn?: string }> }> };
		};
		expect(settings).toMatchObject({ name: DEMO.dbName, color: '#6691FF' });
		expect(typeof schema.seq).toBe('number');
		expect(Object.keys(schema.types).sort()).toEqual(['A', 'B']);
		const fullName = Object.values(schema.types.A.fields).find((field) => field.caption === 'Full Name');
		expect(fullName?.fn).toBe("'First Name' + \" \" + 'Last Name'");
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: ['teams', DEMO.teamId, 'databases', DEMO.dbId],
			query: {},
			status: 200,
		});
	});

	it('simplifies the schema to tables and fields (types, choices, references, formulas)', async () => {
		const { items } = await run({ resource: 'database', operation: 'getSchema', team, database, simplify: true });
		const simple = items[0].json as {
			id: string;
			name: string;
			tables: Array<{ id: string; name: string; fields: Array<Record<string, unknown>> }>;
		};
		expect(simple.id).toBe(DEMO.dbId);
		expect(simple.name).toBe(DEMO.dbName);
		expect(simple.tables.map((table) => [table.id, table.name])).toEqual([
			['A', 'Contact'],
			['B', 'Company'],
		]);
		const contact = simple.tables[0].fields;
		expect(contact.find((field) => field.name === 'Kind')).toEqual({
			id: expect.any(String),
			name: 'Kind',
			type: 'choice',
			choices: [
				{ id: '1', caption: 'Person' },
				{ id: '2', caption: 'Company' },
			],
		});
		expect(contact.find((field) => field.name === 'Company')).toMatchObject({ type: 'ref', refTable: 'B' });
		expect(contact.find((field) => field.name === 'Full Name')).toMatchObject({
			fn: "'First Name' + \" \" + 'Last Name'",
		});
		// The same ids as the table endpoint, in Ninox's order (A … Z, AA …).
		const table = server.store.table(DEMO.teamId, DEMO.dbId, 'A');
		expect(contact.map((field) => field.id)).toEqual(table.fields.map((field) => field.id));
	});

	it('returns an empty table list for a database without tables', async () => {
		const { items } = await run({
			resource: 'database',
			operation: 'getSchema',
			team,
			database: byId(emptyDbId),
			simplify: true,
		});
		expect(items[0].json).toEqual({ id: emptyDbId, name: 'Leer', tables: [] });
	});

	it('answers an unknown database with 404 "Database not found", paired under continueOnFail', async () => {
		const parameters = { resource: 'database', operation: 'getSchema', team, database: byId('={{ $json.db }}') };
		const failed = await run(parameters, { items: [{ json: { db: 'nosuchdb' } }] });
		expect(failed.error?.message).toMatch(/^Database (\S+ )?not found.*\(404\)$/);
		expect(failed.error?.description).toContain('/teams/mnPLY6DMsvq9wz4id/databases/nosuchdb');
		expect(server.requests.map((request) => request.status)).toEqual([404]);

		const { items } = await run(parameters, {
			items: [{ json: { db: DEMO.dbId } }, { json: { db: 'nosuchdb' } }],
			continueOnFail: true,
		});
		expect(items).toHaveLength(2);
		expect(items[0].json.settings).toBeDefined();
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ error: expect.stringMatching(/^Database (\S+ )?not found.*\(404\)$/), httpCode: '404' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('refuses an empty database ID before sending anything', async () => {
		const { error } = await run(
			{ resource: 'database', operation: 'getSchema', team, database: byId('={{ $json.db }}') },
			{ items: [{ json: { db: '' } }] },
		);
		expect(error?.message).toBe('No database selected');
		expect(server.requests).toHaveLength(0);
	});
});

describe('Table → Get Many', () => {
	it('outputs each table as an item, with its fields (no formula fields): GET …/{db}/tables', async () => {
		const { items, error } = await run({ resource: 'table', operation: 'getAll', team, database, returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.name])).toEqual([
			['A', 'Contact'],
			['B', 'Company'],
		]);
		const fields = items[0].json.fields as Array<{ name: string; type: string }>;
		expect(fields.find((field) => field.name === 'Birthday')?.type).toBe('date');
		expect(fields.some((field) => field.name === 'Full Name')).toBe(false);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables'],
			status: 200,
		});
	});

	it('honours the limit', async () => {
		const { items } = await run({ resource: 'table', operation: 'getAll', team, database, returnAll: false, limit: 1 });
		expect(items.map((item) => item.json.id)).toEqual(['A']);
	});

	it('outputs nothing for a database without tables', async () => {
		const { items, error } = await run({
			resource: 'table',
			operation: 'getAll',
			team,
			database: byId(emptyDbId),
			returnAll: true,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(server.requests[0].segments).toEqual(['teams', DEMO.teamId, 'databases', emptyDbId, 'tables']);
	});
});

describe('Table → Get', () => {
	it('returns the table with field types and choices: GET …/tables/{tid}', async () => {
		const { items, error } = await run({ resource: 'table', operation: 'get', team, database, table: byId('A') });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: 'A', name: 'Contact' });
		const fields = items[0].json.fields as Array<{ name: string; type: string; choices?: unknown }>;
		expect(fields.find((field) => field.name === 'Kind')).toMatchObject({
			type: 'choice',
			choices: [
				{ id: '1', caption: 'Person' },
				{ id: '2', caption: 'Company' },
			],
		});
		expect(fields.find((field) => field.name === 'Tags')?.type).toBe('multi');
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', 'A'],
			status: 200,
		});
	});

	it('keeps unicode table and field names, and accepts a table picked by URL', async () => {
		const url = `https://app.ninox.com/#/teams/${DEMO.team2Id}/database/${DEMO.db2Id}/module/A`;
		const { items, error } = await run({
			resource: 'table',
			operation: 'get',
			team: byId(DEMO.team2Id),
			database: byId(DEMO.db2Id),
			table: { __rl: true, mode: 'url', value: url },
		});
		expect(error).toBeUndefined();
		expect(items[0].json.name).toBe('Aufgaben – Übersicht 東京');
		expect(items[0].json.fields).toEqual([
			{ id: 'A', name: 'Größe "m²"', type: 'number' },
			{
				id: 'B',
				name: 'Zustand',
				type: 'choice',
				choices: [
					{ id: '1', caption: 'Offen', captions: {} },
					{ id: '2', caption: 'Erledigt ✓', captions: {} },
				],
			},
		]);
		expect(server.requests[0].segments).toEqual(['teams', DEMO.team2Id, 'databases', DEMO.db2Id, 'tables', 'A']);
	});

	it('answers an unknown table with a clear 404, paired under continueOnFail', async () => {
		const parameters = { resource: 'table', operation: 'get', team, database, table: byId('={{ $json.table }}') };
		const failed = await run(parameters, { items: [{ json: { table: 'ZZ' } }] });
		expect(failed.error?.message).toMatch(/^Table (\S+ )?not found.*\(404\)$/);

		const { items } = await run(parameters, {
			items: [{ json: { table: 'ZZ' } }, { json: { table: 'B' } }],
			continueOnFail: true,
		});
		expect(items[0].json.error).toMatch(/^Table (\S+ )?not found.*\(404\)$/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ id: 'B', name: 'Company' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});
