/** Record → Create, Update, Delete, Delete Many. Through the engine, against the local server. */
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	ResourceMapperField,
	ResourceMapperFields,
	ResourceMapperValue,
} from 'n8n-workflow';

import { callMethod, localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
let ordersTableId: string;
let contactSchema: ResourceMapperField[];

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const where = (tableId: string) => ({ team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId(tableId) });
const contacts = where(DEMO.contactTableId);

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
	ordersTableId = server.store.addTable(DEMO.teamId, DEMO.dbId, {
		name: 'Orders',
		fields: [
			{ name: 'N', type: 'number' },
			{ name: 'Label', type: 'string' },
		],
	}).id;
	// the mapper's schema, as the editor stores it in the node's parameters
	contactSchema = (
		await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', contacts, localCredentials(server))
	).fields;
	server.clearLog();
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
	return await runNode({ parameters: { resource: 'record', ...withOutput }, credentials: localCredentials(server), ...options });
}

/** The mapper as the editor stores it once the user added the fields of `value` (the others stay removed). */
const defineBelow = (value: ResourceMapperValue['value'], schema: ResourceMapperField[] = contactSchema) => ({
	fieldsInput: 'mapping',
	columns: {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: schema.map((field) => ({ ...field, removed: !(value && field.id in value) })),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	} satisfies ResourceMapperValue,
});
const autoMap = { fieldsInput: 'mapping', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] } };
const json = (fieldsJson: string) => ({ fieldsInput: 'json', fieldsJson });

const recordsSegments = (tableId: string) => ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', tableId, 'records'];
const stored = (tableId: string, id: number) => server.store.getRecord(DEMO.teamId, DEMO.dbId, tableId, id);
const count = (tableId: string) => server.store.table(DEMO.teamId, DEMO.dbId, tableId).records.size;
const posts = () => server.requests.filter((request) => request.method === 'POST');
const items = (n: number, json: (i: number) => IDataObject) => Array.from({ length: n }, (_, i) => ({ json: json(i) }));

describe('Record → Create', () => {
	it('creates a record from the field mapping, converting every value to what Ninox expects', async () => {
		const { items: output, error } = await run({
			operation: 'create',
			...contacts,
			...defineBelow({
				'First Name': 'Jane',
				'Last Name': 'Doe',
				Birthday: '1990-02-03',
				'Last Contact': '2024-05-01T12:30:00+02:00',
				Score: '42.5',
				Subscribed: 'true',
				Status: 'Lead',
				Tags: '["VIP", "Partner"]',
				Company: 2,
				'Call Time': '09:15',
				Email: 'jane@example.com',
				Notes: '',
			}),
		});
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(posts()[0]).toMatchObject({ segments: recordsSegments('A'), status: 200 });
		expect(posts()[0].body).toEqual([
			{
				fields: {
					'First Name': 'Jane',
					'Last Name': 'Doe',
					Birthday: '1990-02-03',
					'Last Contact': '2024-05-01T10:30:00',
					Score: 42.5,
					Subscribed: true,
					Status: 'Lead',
					Tags: ['VIP', 'Partner'],
					Company: 2,
					'Call Time': '09:15:00',
					Email: 'jane@example.com',
				},
			},
		]);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		const id = output[0].json.id as number;
		expect(output[0].json).toEqual(stored('A', id));
		expect(stored('A', id)!.fields).toMatchObject({ 'Full Name': 'Jane Doe', Tags: ['VIP', 'Partner'], Company: 2 });
		// one schema request, one write
		expect(server.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
	});

	it('sends 1 050 items in exactly 3 POSTs with Batch Size 500, outputs paired in order', async () => {
		const before = count(ordersTableId);
		const { items: output, error } = await run(
			{ operation: 'create', ...where(ordersTableId), ...autoMap, options: { batchSize: 500 } },
			{ items: items(1050, (i) => ({ N: i, Label: `order ${i}` })) },
		);
		expect(error).toBeUndefined();
		expect(posts().map((request) => (request.body as unknown[]).length)).toEqual([500, 500, 50]);
		expect(posts()[0].body).toEqual(expect.arrayContaining([{ fields: { N: 0, Label: 'order 0' } }]));
		expect(output).toHaveLength(1050);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.fields).toEqual({ N: i, Label: `order ${i}` });
		});
		expect(new Set(output.map((item) => item.json.id)).size).toBe(1050);
		expect(count(ordersTableId)).toBe(before + 1050);
	});

	it('does nothing for 0 input items', async () => {
		const { items: output, error } = await run({ operation: 'create', ...where(ordersTableId), ...autoMap }, { items: [] });
		expect(error).toBeUndefined();
		expect(output).toEqual([]);
		expect(server.requests).toHaveLength(0);
	});

	it('writes unicode field names and values from JSON input', async () => {
		const tableId = server.store.addTable(DEMO.teamId, DEMO.dbId, {
			name: 'Ünïcødé',
			fields: [
				{ name: 'Name 名前', type: 'string' },
				{ name: 'Größe "m²"', type: 'number' },
			],
		}).id;
		const { items: output, error } = await run({
			operation: 'create',
			...where(tableId),
			...json('{"Name 名前": "Zoë 美咲 🚀 \\"quoted\\"", "Größe \\"m²\\"": 12.5}'),
		});
		expect(error).toBeUndefined();
		expect(posts()[0].body).toEqual([{ fields: { 'Name 名前': 'Zoë 美咲 🚀 "quoted"', 'Größe "m²"': 12.5 } }]);
		expect(output[0].json.fields).toEqual({ 'Name 名前': 'Zoë 美咲 🚀 "quoted"', 'Größe "m²"': 12.5 });
	});

	it('maps a Ninox record item automatically by its fields', async () => {
		const source = stored('A', 10)!;
		const { items: output } = await run(
			{ operation: 'create', ...contacts, ...autoMap, options: { ignoreUnwritable: true } },
			{ items: [{ json: source as unknown as IDataObject }] },
		);
		const sent = (posts()[0].body as Array<{ fields: IDataObject }>)[0].fields;
		expect(sent['First Name']).toBe(source.fields['First Name']);
		expect(sent).not.toHaveProperty('Full Name');
		expect(sent).not.toHaveProperty('id');
		expect(output[0].json.id).not.toBe(10);
	});

	it('stops before sending anything when one item names an unknown field, with a close-match hint', async () => {
		const before = count(ordersTableId);
		const { error } = await run(
			{ operation: 'create', ...where(ordersTableId), ...autoMap },
			{ items: [{ json: { N: 1 } }, { json: { Lable: 'x' } }, { json: { N: 3 } }] },
		);
		expect(error?.message).toBe('Unknown field "Lable" in item 1: table "Orders" has no such field');
		expect(error?.description).toBe('Did you mean "Label"? Field names are case-sensitive.');
		expect(posts()).toHaveLength(0);
		expect(count(ordersTableId)).toBe(before);
	});

	it('refuses to write a formula field and says it is read-only', async () => {
		const { error } = await run({ operation: 'create', ...contacts, ...json('{"First Name": "A", "Full Name": "B"}') });
		expect(error?.message).toBe('Field "Full Name" in item 0 is read-only: it is a formula field');
		expect(posts()).toHaveLength(0);
		// the database schema (where formula fields live) is read only because the name was not a table field
		expect(server.requests.map((request) => request.segments.length)).toEqual([6, 4]);
	});

	it('names the item of invalid JSON and of a value the field cannot take', async () => {
		const parameters = { operation: 'create', ...where(ordersTableId), ...json('={{ $json.body }}') };
		const invalid = await run(parameters, { items: [{ json: { body: '{"N": 1' } }] });
		expect(invalid.error?.message).toMatch(/^The Fields \(JSON\) of item 0 is not valid JSON: /);
		const notNumber = await run(parameters, { items: [{ json: { body: '{"N": "abc"}' } }] });
		expect(notNumber.error?.message).toBe('Field "N" in item 0: "abc" is not a number');
		const badChoice = await run({ operation: 'create', ...contacts, ...json('{"Status": "Gone"}') });
		expect(badChoice.error?.message).toBe(
			'Field "Status" in item 0: "Gone" is not a choice of this field ("Active", "Inactive", "Lead")',
		);
		for (const day of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00']) {
			const notADay = await run({ operation: 'create', ...contacts, ...json(`{"Birthday": "${day}"}`) });
			expect(notADay.error?.message).toBe(`Field "Birthday" in item 0: "${day}" is not a date`);
		}
		expect(posts()).toHaveLength(0);
		const leapDays = await run(
			{ operation: 'create', ...contacts, ...json('={{ $json.body }}') },
			{ items: ['2024-02-29', '2000-02-29', '2023-12-31'].map((day) => ({ json: { body: `{"Birthday": "${day}"}` } })) },
		);
		expect(leapDays.items.map((item) => (item.json.fields as { Birthday: string }).Birthday)).toEqual([
			'2024-02-29',
			'2000-02-29',
			'2023-12-31',
		]);
	});

	it('with continueOnFail: paired error items for invalid items, the valid ones created in one batch', async () => {
		const { items: output, error } = await run(
			{ operation: 'create', ...where(ordersTableId), ...autoMap },
			{
				items: [{ json: { N: 1 } }, { json: { Lable: 'x' } }, { json: { N: 'abc' } }, { json: { N: 4 } }],
				continueOnFail: true,
			},
		);
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(posts()[0].body).toEqual([{ fields: { N: 1 } }, { fields: { N: 4 } }]);
		expect(output.map((item) => [item.json.error ?? item.json.fields, item.pairedItem])).toEqual([
			[{ N: 1 }, { item: 0 }],
			['Unknown field "Lable" in item 1: table "Orders" has no such field', { item: 1 }],
			['Field "N" in item 2: "abc" is not a number', { item: 2 }],
			[{ N: 4 }, { item: 3 }],
		]);
	});

	it('never resends a create that may have been applied, and marks its items as in doubt', async () => {
		const before = count(ordersTableId);
		server.faults.add({ kind: 'reset-after', match: { method: 'POST' } });
		const { items: output, error } = await run(
			{ operation: 'create', ...where(ordersTableId), ...autoMap, options: { batchSize: 2 } },
			{ items: items(3, (i) => ({ N: 100 + i })), continueOnFail: true },
		);
		expect(error).toBeUndefined();
		// batch 1 was applied but its answer lost: not sent again; batch 2 went through
		expect(posts().map((request) => request.body)).toEqual([
			[{ fields: { N: 100 } }, { fields: { N: 101 } }],
			[{ fields: { N: 102 } }],
		]);
		expect(count(ordersTableId)).toBe(before + 3);
		expect(output.slice(0, 2).map((item) => [item.json.inDoubt, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
		]);
		expect(output[0].json.description).toMatch(/may or may not have applied/);
		expect(JSON.stringify(output)).not.toContain(server.token);
		expect(output[2].json.fields).toEqual({ N: 102 });

		server.faults.add({ kind: 'reset-after', match: { method: 'POST' } });
		const stopped = await run(
			{ operation: 'create', ...where(ordersTableId), ...autoMap, options: { batchSize: 1 } },
			{ items: items(2, (i) => ({ N: 200 + i })) },
		);
		expect(stopped.error?.message).toMatch(/connection to Ninox broke/);
		expect(JSON.stringify({ ...stopped.error, message: stopped.error?.message })).not.toContain(server.token);
	});

	it('turns a rejected batch into error items for exactly that batch', async () => {
		server.faults.add({ kind: '500', match: { method: 'POST' } });
		const { items: output } = await run(
			{ operation: 'create', ...where(ordersTableId), ...autoMap, options: { batchSize: 2 } },
			{ items: items(3, (i) => ({ N: 300 + i })), continueOnFail: true },
		);
		expect(output.map((item) => [item.json.error === undefined, item.json.inDoubt, item.pairedItem])).toEqual([
			[false, undefined, { item: 0 }],
			[false, undefined, { item: 1 }],
			[true, undefined, { item: 2 }],
		]);
		expect(output[0].json.error).toBe('Ninox could not apply the POST (500): Internal Server Error');
	});
});

describe('Record → Update', () => {
	it('updates one item with PUT …/records/{rid}: only the sent fields change', async () => {
		const before = stored('A', 20)!;
		const { items: output, error } = await run({
			operation: 'update',
			...contacts,
			recordId: '20',
			...defineBelow({ Score: 99, Status: 'Inactive' }),
		});
		expect(error).toBeUndefined();
		const put = server.requests.find((request) => request.method === 'PUT')!;
		expect(put).toMatchObject({ segments: [...recordsSegments('A'), '20'], body: { fields: { Score: 99, Status: 'Inactive' } } });
		expect(output[0].json).toEqual(stored('A', 20));
		expect(stored('A', 20)!.fields).toEqual({ ...before.fields, Score: 99, Status: 'Inactive' });
	});

	it('updates many items with batched POST …/records [{"id", "fields"}]', async () => {
		const { items: output, error } = await run(
			{ operation: 'update', ...contacts, recordId: '={{ $json.id }}', ...json('={{ JSON.stringify({ Score: $json.score }) }}'), options: { batchSize: 2 } },
			{ items: [{ json: { id: 21, score: 1 } }, { json: { id: 'A22', score: 2 } }, { json: { id: 23, score: 3 } }] },
		);
		expect(error).toBeUndefined();
		expect(posts().map((request) => request.body)).toEqual([
			[
				{ id: 21, fields: { Score: 1 } },
				{ id: 22, fields: { Score: 2 } },
			],
			[{ id: 23, fields: { Score: 3 } }],
		]);
		expect(output.map((item) => [item.json.id, (item.json.fields as IDataObject).Score, item.pairedItem])).toEqual([
			[21, 1, { item: 0 }],
			[22, 2, { item: 1 }],
			[23, 3, { item: 2 }],
		]);
	});

	it('resends an id-keyed update batch after a 502 (it is safe to repeat)', async () => {
		server.faults.add({ kind: '502', match: { method: 'POST' } });
		const { items: output, error } = await run(
			{ operation: 'update', ...contacts, recordId: '={{ $json.id }}', ...autoMap },
			{ items: [{ json: { id: 24, Score: 7 } }, { json: { id: 25, Score: 8 } }] },
		);
		expect(error).toBeUndefined();
		expect(posts().map((request) => request.status)).toEqual([502, 200]);
		expect(output.map((item) => (item.json.fields as IDataObject).Score)).toEqual([7, 8]);
	});

	it('empties fields only when asked: Clear Empty Fields sends null', async () => {
		expect(stored('A', 26)!.fields.Email).toBeDefined();
		await run({ operation: 'update', ...contacts, recordId: '26', ...defineBelow({ Email: '', Score: 5 }) });
		expect(server.requests.find((request) => request.method === 'PUT')!.body).toEqual({ fields: { Score: 5 } });
		expect(stored('A', 26)!.fields.Email).toBeDefined();

		server.clearLog();
		await run({ operation: 'update', ...contacts, recordId: '26', ...defineBelow({ Email: '' }), options: { clearEmpty: true } });
		expect(server.requests.find((request) => request.method === 'PUT')!.body).toEqual({ fields: { Email: null } });
		expect(stored('A', 26)!.fields.Email).toBeUndefined();
	});

	it('names a missing record, a bad id and a read-only field; paired errors under continueOnFail', async () => {
		const missing = await run({ operation: 'update', ...contacts, recordId: '99999', ...json('{"Score": 1}') });
		expect(missing.error?.message).toBe('Record 99999 not found in table A');

		const badId = await run({ operation: 'update', ...contacts, recordId: 'x1', ...json('{"Score": 1}') });
		expect(badId.error?.message).toBe('Record ID "x1" is not a record ID');

		const formula = await run({ operation: 'update', ...contacts, recordId: '5', ...json('{"Full Name": "X"}') });
		expect(formula.error?.message).toBe('Field "Full Name" in item 0 is read-only: it is a formula field');

		const reverse = await run({ operation: 'update', ...where('B'), recordId: '1', ...json('{"Contacts": [1]}') });
		expect(reverse.error?.message).toBe('Field "Contacts" in item 0 is read-only: it is a reverse reference');

		server.clearLog();
		const { items: output, error } = await run(
			{ operation: 'update', ...contacts, recordId: '={{ $json.id }}', ...autoMap },
			{
				items: [{ json: { id: 'x', Score: 1 } }, { json: { id: 27, Score: 2 } }, { json: { id: 99999, Score: 3 } }],
				continueOnFail: true,
			},
		);
		expect(error).toBeUndefined();
		expect(posts().map((request) => request.body)).toEqual([
			[
				{ id: 27, fields: { Score: 2 } },
				{ id: 99999, fields: { Score: 3 } },
			],
		]);
		expect(output.map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Record ID "x" is not a record ID', { item: 0 }],
			['One of the records 27, 99999 not found in table A', { item: 1 }],
			['One of the records 27, 99999 not found in table A', { item: 2 }],
		]);
	});
});

describe('Record → Delete', () => {
	it('deletes one record: DELETE …/records/{rid} → {deleted, id}', async () => {
		const { items: output, error } = await run({ operation: 'delete', ...contacts, recordId: '30' });
		expect(error).toBeUndefined();
		expect(output).toEqual([{ json: { deleted: true, id: 30 }, pairedItem: { item: 0 } }]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({ method: 'DELETE', segments: [...recordsSegments('A'), '30'], status: 200 });
		expect(stored('A', 30)).toBeUndefined();
	});

	it('names a record that does not exist, and pairs errors under continueOnFail', async () => {
		const missing = await run({ operation: 'delete', ...contacts, recordId: '30' });
		expect(missing.error?.message).toBe('Record 30 not found in table A');

		const { items: output } = await run(
			{ operation: 'delete', ...contacts, recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 31 } }, { json: { id: 30 } }, { json: { id: 'none' } }], continueOnFail: true },
		);
		expect(output.map((item) => [item.json.error ?? item.json.deleted, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			['Record 30 not found in table A', { item: 1 }],
			['Record ID "none" is not a record ID', { item: 2 }],
		]);
	});
});

describe('Record → Delete Many', () => {
	it('deletes the ids of all items with one DELETE …/records [ids] per batch', async () => {
		const ids = [40, 41, 43, 44, 45];
		const { items: output, error } = await run(
			{ operation: 'deleteMany', ...contacts, recordId: '={{ $json.id }}', options: { batchSize: 2 } },
			{ items: ids.map((id) => ({ json: { id } })) },
		);
		expect(error).toBeUndefined();
		expect(server.requests.map(({ method, segments, body, status }) => ({ method, segments, body, status }))).toEqual(
			[[40, 41], [43, 44], [45]].map((body) => ({ method: 'DELETE', segments: recordsSegments('A'), body, status: 204 })),
		);
		expect(output).toEqual(ids.map((id, item) => ({ json: { deleted: true, id }, pairedItem: { item } })));
		expect(ids.map((id) => stored('A', id))).toEqual(ids.map(() => undefined));
	});

	it('sends nothing for 0 items, and nothing at all when one id is invalid', async () => {
		const none = await run({ operation: 'deleteMany', ...contacts, recordId: '={{ $json.id }}' }, { items: [] });
		expect(none.items).toEqual([]);

		const invalid = await run(
			{ operation: 'deleteMany', ...contacts, recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 50 } }, { json: { id: '5x' } }] },
		);
		expect(invalid.error?.message).toBe('Record ID "5x" is not a record ID');
		expect(server.requests).toHaveLength(0);
		expect(stored('A', 50)).toBeDefined();

		const { items: output } = await run(
			{ operation: 'deleteMany', ...contacts, recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 50 } }, { json: { id: '5x' } }, { json: { id: 51 } }], continueOnFail: true },
		);
		expect(server.requests.map((request) => request.body)).toEqual([[50, 51]]);
		expect(output.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			[50, { item: 0 }],
			['Record ID "5x" is not a record ID', { item: 1 }],
			[51, { item: 2 }],
		]);
	});
});
