/** Record → Get Many, Get, Find; the Fields mapper and the field dropdowns. Through the engine, against the local server. */
import type { INodeExecutionData, INodeParameters, INodePropertyOptions, ResourceMapperFields } from 'n8n-workflow';

import { callMethod, localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
let bigTableId: string;
let emptyTableId: string;
let unicodeTableId: string;

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const where = (tableId: string) => ({ team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId(tableId) });
const contacts = where(DEMO.contactTableId);
const BIG_COUNT = 2500;

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
	const { store } = server;
	bigTableId = store.addTable(DEMO.teamId, DEMO.dbId, {
		name: 'Big',
		fields: [
			{ name: 'N', type: 'number' },
			{ name: 'Label', type: 'string' },
		],
	}).id;
	store.insertRecords(
		DEMO.teamId,
		DEMO.dbId,
		bigTableId,
		Array.from({ length: BIG_COUNT }, (_, i) => ({ N: i + 1, Label: `row ${i + 1}` })),
	);
	emptyTableId = store.addTable(DEMO.teamId, DEMO.dbId, { name: 'Leer', fields: [{ name: 'Text', type: 'string' }] }).id;
	unicodeTableId = store.addTable(DEMO.teamId, DEMO.dbId, {
		name: 'Aufgaben – 東京',
		fields: [
			{ name: 'Größe "m²"', type: 'number' },
			{ name: 'Name 名前', type: 'string' },
			{ name: 'Zustand', type: 'choice', choices: ['Offen', 'Erledigt ✓'] },
		],
	}).id;
	store.insertRecords(DEMO.teamId, DEMO.dbId, unicodeTableId, [
		{ 'Größe "m²"': 12.5, 'Name 名前': 'Zoë 美咲 🚀', Zustand: 'Erledigt ✓' },
		{ 'Größe "m²"': 3, 'Name 名前': "O'Brien & Søn", Zustand: 'Offen' },
	]);
});
afterEach(() => server.clearLog());
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
	return await runNode({ parameters: { resource: 'record', ...withOutput }, credentials: localCredentials(server), ...options });
}

const recordsSegments = (tableId: string) => ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', tableId, 'records'];
const fieldId = (tableId: string, name: string) => server.store.table(DEMO.teamId, DEMO.dbId, tableId).fieldByName(name)!.id;
const storeRecords = (tableId: string) => server.store.getRecords(DEMO.teamId, DEMO.dbId, tableId);

describe('Record → Get Many', () => {
	it('reads all 2 500 records with Return All in ⌈2500/1000⌉ = 3 requests, in order', async () => {
		const { items, error } = await run({ operation: 'getAll', ...where(bigTableId), returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(BIG_COUNT);
		expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: BIG_COUNT }, (_, i) => i + 1));
		expect(items[2499].json.fields).toEqual({ N: 2500, Label: 'row 2500' });
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(server.requests.map(({ method, segments, query, status }) => ({ method, segments, query, status }))).toEqual(
			[0, 1, 2].map((page) => ({
				method: 'GET',
				segments: recordsSegments(bigTableId),
				query: { page: String(page), perPage: '1000' },
				status: 200,
			})),
		);
	});

	it('returns exactly Limit records (7) in one request', async () => {
		const { items } = await run({ operation: 'getAll', ...where(bigTableId), returnAll: false, limit: 7 });
		expect(items.map((item) => item.json.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].query).toEqual({ page: '0', perPage: '7' });
	});

	it('returns no items for an empty table (one request)', async () => {
		const { items, error } = await run({ operation: 'getAll', ...where(emptyTableId), returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(server.requests).toHaveLength(1);
	});

	it('keeps unicode field names and values unchanged', async () => {
		const { items } = await run({ operation: 'getAll', ...where(unicodeTableId), returnAll: true });
		expect(items.map((item) => item.json.fields)).toEqual([
			{ 'Größe "m²"': 12.5, 'Name 名前': 'Zoë 美咲 🚀', Zustand: 'Erledigt ✓' },
			{ 'Größe "m²"': 3, 'Name 名前': "O'Brien & Søn", Zustand: 'Offen' },
		]);
	});

	it('sends filters by field id although the user picks fields by name', async () => {
		const { items, error } = await run({
			operation: 'getAll',
			...contacts,
			returnAll: true,
			filters: {
				conditions: [
					{ field: 'Status', value: 'Lead' },
					{ field: 'Kind', value: 'Person' },
				],
			},
		});
		expect(error).toBeUndefined();
		const expected = storeRecords('A').filter((r) => r.fields.Status === 'Lead' && r.fields.Kind === 'Person');
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json.id)).toEqual(expected.map((r) => r.id));
		const list = server.requests.find((request) => request.segments.at(-1) === 'records')!;
		expect(JSON.parse(list.query.filters)).toEqual({ [fieldId('A', 'Status')]: 'Lead', [fieldId('A', 'Kind')]: 'Person' });
		// the schema is read once to map the names
		expect(server.requests.map((request) => `${request.method} ${request.segments.slice(-2).join('/')}`)).toEqual([
			'GET tables/A',
			'GET A/records',
		]);
	});

	it('converts a filter value to the field type (number)', async () => {
		const { items } = await run({
			operation: 'getAll',
			...where(bigTableId),
			returnAll: true,
			filters: { conditions: [{ field: 'N', value: '1234' }] },
		});
		expect(items.map((item) => item.json.fields)).toEqual([{ N: 1234, Label: 'row 1234' }]);
		expect(server.requests[1].query.filters).toBe(JSON.stringify({ [fieldId(bigTableId, 'N')]: 1234 }));
	});

	it('passes sort, since and choice style options as Ninox query parameters', async () => {
		const sorted = await run({
			operation: 'getAll',
			...contacts,
			returnAll: false,
			limit: 5,
			options: { sortField: 'Score', descending: true, choiceStyle: 'ids' },
		});
		expect(server.requests[0].query).toEqual({ page: '0', perPage: '5', order: 'Score', desc: 'true', choiceStyle: 'ids' });
		const scores = sorted.items.map((item) => (item.json.fields as { Score: number }).Score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		expect(Math.max(...storeRecords('A').map((r) => Number(r.fields.Score ?? 0)))).toBe(scores[0]);
		expect(['1', '2']).toContain((sorted.items[0].json.fields as { Kind: string }).Kind);

		server.clearLog();
		const newest = await run({ operation: 'getAll', ...contacts, returnAll: false, limit: 2, options: { newestFirst: true } });
		expect(server.requests[0].query).toMatchObject({ new: 'true' });
		expect(newest.items.map((item) => item.json.id)).toEqual([300, 299]);

		server.clearLog();
		const changed = await run({ operation: 'getAll', ...contacts, returnAll: false, limit: 3, options: { lastModifiedFirst: true } });
		expect(server.requests[0].query).toMatchObject({ updated: 'true' });
		const bySequence = storeRecords('A').sort((a, b) => b.sequence - a.sequence).slice(0, 3);
		expect(changed.items.map((item) => item.json.id)).toEqual(bySequence.map((r) => r.id));

		server.clearLog();
		const since = await run({ operation: 'getAll', ...contacts, returnAll: true, options: { sinceId: 295, sinceSq: 1 } });
		expect(server.requests[0].query).toMatchObject({ sinceId: '295', sinceSq: '1' });
		expect(since.items.map((item) => item.json.id)).toEqual([296, 297, 298, 299, 300]);
	});

	it('outputs field ids instead of names, formula fields included', async () => {
		const { items, error } = await run({
			operation: 'getAll',
			...contacts,
			returnAll: false,
			limit: 1,
			options: { outputFieldIds: true },
		});
		expect(error).toBeUndefined();
		const fields = items[0].json.fields as Record<string, unknown>;
		expect(fields[fieldId('A', 'First Name')]).toBe('Tim');
		expect(fields[fieldId('A', 'Full Name')]).toBe(storeRecords('A')[0].fields['Full Name']);
		expect(Object.keys(fields).every((key) => /^[A-Z]+$/.test(key))).toBe(true);
	});

	it('refuses two sort orders at once, and an unknown filter field with a close-match hint', async () => {
		const twoOrders = await run({
			operation: 'getAll',
			...contacts,
			returnAll: true,
			options: { sortField: 'Score', newestFirst: true },
		});
		expect(twoOrders.error?.message).toBe('Choose one sort order, not Sort Field and Newest First');
		expect(server.requests).toHaveLength(0);

		const parameters = {
			operation: 'getAll',
			...contacts,
			returnAll: true,
			filters: { conditions: [{ field: '={{ $json.field }}', value: 'x' }] },
		};
		const misspelt = await run(parameters, { items: [{ json: { field: 'Stauts' } }] });
		expect(misspelt.error?.message).toBe('Unknown field "Stauts" in the conditions (item 0)');
		expect(misspelt.error?.description).toContain('"Status"');

		const { items, error } = await run(parameters, {
			items: [{ json: { field: 'Stauts' } }, { json: { field: 'Email' } }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe('Unknown field "Stauts" in the conditions (item 0)');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('Record → Get', () => {
	it('gets one record: GET …/records/{rid}', async () => {
		const { items, error } = await run({ operation: 'get', ...contacts, recordId: '5' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(server.store.getRecord(DEMO.teamId, DEMO.dbId, 'A', 5));
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({ method: 'GET', segments: [...recordsSegments('A'), '5'], query: {}, status: 200 });
	});

	it('accepts a Ninox reference (A42) and outputs field ids with style=ids', async () => {
		const { items } = await run({ operation: 'get', ...contacts, recordId: 'A42', options: { outputFieldIds: true, choiceStyle: 'ids' } });
		expect(server.requests[0].segments.at(-1)).toBe('42');
		expect(server.requests[0].query).toEqual({ style: 'ids', choiceStyle: 'ids' });
		expect(items[0].json.id).toBe(42);
		expect(Object.keys(items[0].json.fields as object)).toContain(fieldId('A', 'Email'));
	});

	it('reads a record of a table with unicode names', async () => {
		const { items } = await run({ operation: 'get', ...where(unicodeTableId), recordId: '1' });
		expect(items[0].json.fields).toEqual({ 'Größe "m²"': 12.5, 'Name 名前': 'Zoë 美咲 🚀', Zustand: 'Erledigt ✓' });
	});

	it('rejects a non-numeric, negative or empty id without a request, and names a missing record', async () => {
		const parameters = { operation: 'get', ...contacts, recordId: '={{ $json.id }}' };
		const notNumeric = await run(parameters, { items: [{ json: { id: 'abc' } }] });
		expect(notNumeric.error?.message).toBe('Record ID "abc" is not a record ID');
		const negative = await run(parameters, { items: [{ json: { id: -3 } }] });
		expect(negative.error?.message).toBe('Record ID "-3" is not a record ID');
		const empty = await run(parameters, { items: [{ json: { id: '' } }] });
		expect(empty.error?.message).toBe('Record ID is empty');
		expect(server.requests).toHaveLength(0);

		const missing = await run(parameters, { items: [{ json: { id: 99999 } }] });
		expect(missing.error?.message).toBe('Record 99999 not found in table A');
		expect(server.requests[0].status).toBe(404);
	});

	it('gives paired error items under continueOnFail', async () => {
		const { items, error } = await run(
			{ operation: 'get', ...contacts, recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 'abc' } }, { json: { id: 7 } }, { json: { id: 99999 } }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			['Record ID "abc" is not a record ID', { item: 0 }],
			[7, { item: 1 }],
			['Record 99999 not found in table A', { item: 2 }],
		]);
	});
});

describe('Record → Find', () => {
	const stanley = () => storeRecords('A').find((r) => r.fields['First Name'] === 'Stanley')!;

	it('finds one record with POST …/record {"filters": {…}} by field id', async () => {
		const wanted = stanley();
		const { items, error } = await run({
			operation: 'find',
			...contacts,
			findMode: 'single',
			filters: { conditions: [{ field: 'Email', value: String(wanted.fields.Email) }] },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([wanted]);
		const find = server.requests.at(-1)!;
		expect(find).toMatchObject({
			method: 'POST',
			segments: ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', 'A', 'record'],
			body: { filters: { [fieldId('A', 'Email')]: wanted.fields.Email } },
			query: {},
			status: 200,
		});

		server.clearLog();
		const withIds = await run({
			operation: 'find',
			...contacts,
			findMode: 'single',
			filters: { conditions: [{ field: 'Email', value: String(wanted.fields.Email) }] },
			options: { outputFieldIds: true },
		});
		expect(server.requests.at(-1)!.query).toEqual({ style: 'ids' });
		expect((withIds.items[0].json.fields as Record<string, unknown>)[fieldId('A', 'Email')]).toBe(wanted.fields.Email);
	});

	it('finds all matches with GET …/records?filters=…, paged', async () => {
		const expected = storeRecords(bigTableId).filter((r) => String(r.fields.Label).endsWith('7')).slice(0, 1);
		const { items } = await run({
			operation: 'find',
			...where(bigTableId),
			findMode: 'all',
			returnAll: true,
			filters: { conditions: [{ field: 'Label', value: 'row 7' }] },
		});
		expect(items.map((item) => item.json)).toEqual(expected);
		const list = server.requests.at(-1)!;
		expect(list).toMatchObject({ method: 'GET', segments: recordsSegments(bigTableId) });
		expect(list.query).toEqual({
			filters: JSON.stringify({ [fieldId(bigTableId, 'Label')]: 'row 7' }),
			page: '0',
			perPage: '1000',
		});

		const leads = storeRecords('A').filter((r) => r.fields.Status === 'Lead');
		const all = await run({
			operation: 'find',
			...contacts,
			findMode: 'all',
			returnAll: false,
			limit: 3,
			filters: { conditions: [{ field: 'Status', value: 'Lead' }] },
		});
		expect(all.items.map((item) => item.json.id)).toEqual(leads.slice(0, 3).map((r) => r.id));
	});

	it('handles "not found" as chosen: nothing, an empty item, or an error', async () => {
		const base = {
			operation: 'find',
			...contacts,
			findMode: 'single',
			filters: { conditions: [{ field: 'Last Name', value: 'Nobody-here' }] },
		};
		const nothing = await run({ ...base, ifNotFound: 'nothing' });
		expect(nothing.error).toBeUndefined();
		expect(nothing.items).toEqual([]);
		expect(server.requests.at(-1)).toMatchObject({ method: 'POST', status: 404 });

		const empty = await run({ ...base, ifNotFound: 'emptyItem' });
		expect(empty.items).toEqual([{ json: {}, pairedItem: { item: 0 } }]);

		const failed = await run({ ...base, ifNotFound: 'error' });
		expect(failed.error?.message).toBe('No record in table "Contact" matches {"Last Name":"Nobody-here"}');

		const listed = await run({ ...base, findMode: 'all', returnAll: true, ifNotFound: 'error' }, { continueOnFail: true });
		expect(listed.items).toEqual([
			{
				json: expect.objectContaining({ error: 'No record in table "Contact" matches {"Last Name":"Nobody-here"}' }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('rejects an unknown field and an empty condition list before searching', async () => {
		const misspelt = await run({
			operation: 'find',
			...contacts,
			filters: { conditions: [{ field: 'last name', value: 'x' }] },
		});
		expect(misspelt.error?.message).toBe('Unknown field "last name" in the conditions (item 0)');
		expect(misspelt.error?.description).toMatch(/^Did you mean "Last Name"/);

		server.clearLog();
		const none = await run({ operation: 'find', ...contacts, filters: {} });
		expect(none.error?.message).toBe('No fields to match');
		expect(server.requests.map((request) => request.method)).toEqual(['GET']);
	});
});

describe('Fields mapper and field lists', () => {
	const credentials = () => localCredentials(server);

	it('maps Ninox types to n8n types, offers choices and marks formula fields read-only', async () => {
		const { fields, emptyFieldsNotice } = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', contacts, credentials());
		const byName = Object.fromEntries(fields.map((field) => [field.id, field]));
		expect(byName['First Name']).toMatchObject({ displayName: 'First Name', type: 'string', required: false, display: true });
		expect(byName.Score.type).toBe('number');
		expect(byName.Subscribed.type).toBe('boolean');
		// a date stays a date: text, not n8n's date and time picker (which adds a time)
		expect(byName.Birthday).toMatchObject({ type: 'string', displayName: 'Birthday (date, e.g. 2024-05-31)' });
		expect(byName['Last Contact'].type).toBe('dateTime');
		expect(byName['Call Time'].type).toBe('time');
		// a reference says which table's record ID it takes
		expect(byName.Company).toMatchObject({ type: 'number', displayName: 'Company (record ID in table Company)' });
		// multiple choice: its choices, entered by name (text; the mapper's list type is a JSON editor)
		expect(byName.Tags).toMatchObject({ type: 'string', displayName: 'Tags (any of: VIP, Newsletter, Partner, Supplier; separate with commas)' });
		// the table has writable fields: the notice says what Map Automatically writes, not that there are none
		expect(emptyFieldsNotice).toMatch(/^Map Automatically writes each input field named like a field of table Contact/);
		expect(byName.Status).toMatchObject({
			type: 'options',
			options: [
				{ name: 'Active', value: 'Active' },
				{ name: 'Inactive', value: 'Inactive' },
				{ name: 'Lead', value: 'Lead' },
			],
		});
		expect(byName['Full Name']).toMatchObject({ readOnly: true, removed: true, canBeUsedToMatch: false });
		expect(byName['First Name'].readOnly).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.segments.slice(2).join('/')}`)).toEqual([
			`GET databases/${DEMO.dbId}/tables/A`,
			`GET databases/${DEMO.dbId}`,
		]);
	});

	it('marks reverse references read-only and keeps unicode names', async () => {
		const company = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('B'), credentials());
		expect(company.fields.find((field) => field.id === 'Contacts')).toMatchObject({ readOnly: true, removed: true, displayName: 'Contacts' });
		const unicode = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where(unicodeTableId), credentials());
		expect(unicode.fields.map((field) => [field.id, field.type])).toEqual([
			['Größe "m²"', 'number'],
			['Name 名前', 'string'],
			['Zustand', 'options'],
		]);
	});

	it('answers with no fields until a table is chosen', async () => {
		const none = await callMethod<ResourceMapperFields>(
			'resourceMapping',
			'getColumns',
			{ team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId('') },
			credentials(),
		);
		expect(none.fields).toEqual([]);
		expect(server.requests).toHaveLength(0);
	});

	it('lists filterable fields by name, sorted, without multi-value, file or computed fields', async () => {
		const options = await callMethod<INodePropertyOptions[]>('loadOptions', 'getMatchableFields', contacts, credentials());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(names).toEqual(expect.arrayContaining(['Email', 'Status', 'Score', 'Company', 'Birthday']));
		expect(names).not.toEqual(expect.arrayContaining(['Tags']));
		expect(names).not.toContain('Photo');
		expect(names).not.toContain('Full Name');
		expect(options.every((option) => option.value === option.name)).toBe(true);
		const match = await callMethod<INodePropertyOptions[]>('loadOptions', 'getMatchableFields', where('B'), credentials());
		expect(match.map((option) => option.name)).not.toContain('Contacts');
	});
});
