/**
 * The shape of records in the output: Simplified by default (one key per field beside id, sequence and
 * timestamps, so n8n's Table view shows a column per field), Ninox's raw shape one option away; Create or Update
 * says per item whether it created or updated the record.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
let oddTableId: string;
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const where = (tableId: string) => ({ team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId(tableId) });
const OWN_KEYS = ['id', 'sequence', 'createdAt', 'createdBy', 'modifiedAt', 'modifiedBy'];

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
	// fields named like a record's own keys
	oddTableId = server.store.addTable(DEMO.teamId, DEMO.dbId, {
		name: 'Odd',
		fields: [
			{ name: 'id', type: 'string' },
			{ name: 'Title', type: 'string' },
			{ name: 'action', type: 'string' },
		],
	}).id;
	// made a day ago: Ninox's upsert answer tells an update by its creation and change times (to the second) differing
	const dayAgo = Date.now() - 86_400_000;
	server.store.insertRecords(DEMO.teamId, DEMO.dbId, oddTableId, [{ id: 'X-1', Title: 'first', action: 'none' }], {
		createdAt: dayAgo,
		modifiedAt: dayAgo,
	});
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, items?: INodeExecutionData[]) {
	const result = await runNode({ parameters: { resource: 'record', ...parameters }, credentials: localCredentials(server), items });
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json);
}

const stored = (tableId: string, id: number) => server.store.getRecord(DEMO.teamId, DEMO.dbId, tableId, id)!;

describe('Simplified by default', () => {
	it('Get: one key per field beside the record’s own keys, nothing lost', async () => {
		const [record] = await run({ operation: 'get', ...where('A'), recordId: '1' });
		const { fields, ...own } = stored('A', 1) as unknown as IDataObject;
		expect(record).toEqual({ ...own, ...(fields as IDataObject) });
		expect(Object.keys(record).slice(0, OWN_KEYS.length)).toEqual(OWN_KEYS);
		expect(record).not.toHaveProperty('fields');
	});

	it('Raw is one option away: Ninox’s own shape', async () => {
		const [record] = await run({ operation: 'get', ...where('A'), recordId: '1', options: { output: 'raw' } });
		expect(record).toEqual(stored('A', 1));
	});

	it('Get Many, Find and Create give the same shape; field IDs as keys when asked', async () => {
		const many = await run({ operation: 'getAll', ...where('A'), limit: 2 });
		expect(many.map((record) => [record.id, record['First Name']])).toEqual([1, 2].map((id) => [id, stored('A', id).fields['First Name']]));

		const found = await run({
			operation: 'find',
			...where('A'),
			filters: { conditions: [{ field: 'Email', value: stored('A', 3).fields.Email as string }] },
		});
		expect(found).toEqual([expect.objectContaining({ id: 3, Email: stored('A', 3).fields.Email })]);

		const [created] = await run({ operation: 'create', ...where('A'), fieldsInput: 'json', fieldsJson: '{"First Name": "Shape"}' });
		expect(created).toMatchObject({ id: expect.any(Number), sequence: expect.any(Number), 'First Name': 'Shape' });

		const firstNameId = server.store.table(DEMO.teamId, DEMO.dbId, 'A').fieldByName('First Name')!.id;
		const [keyed] = await run({ operation: 'get', ...where('A'), recordId: '1', options: { outputFieldIds: true } });
		expect(keyed).toMatchObject({ id: 1, [firstNameId]: stored('A', 1).fields['First Name'] });
	});

	it('keeps a field named like a record key as "<name> (field)"', async () => {
		const [record] = await run({ operation: 'getAll', ...where(oddTableId), returnAll: true });
		expect(record).toMatchObject({ id: 1, 'id (field)': 'X-1', Title: 'first', action: 'none' });
	});

	it('a simplified record maps automatically into another write: its own keys are not taken for fields', async () => {
		const copies = server.store.addTable(DEMO.teamId, DEMO.dbId, { name: 'Copies', fields: [{ name: 'First Name', type: 'string' }, { name: 'Last Name', type: 'string' }] });
		const read = await run({ operation: 'getAll', ...where('A'), limit: 2, options: { output: 'simplified' } });
		const simplified = read.map((json) => ({ json: { id: json.id, sequence: json.sequence, createdAt: json.createdAt, createdBy: json.createdBy, modifiedAt: json.modifiedAt, modifiedBy: json.modifiedBy, 'First Name': json['First Name'], 'Last Name': json['Last Name'] } }));
		server.clearLog();
		const written = await run(
			{
				operation: 'create',
				...where(copies.id),
				fieldsInput: 'mapping',
				columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
			},
			simplified,
		);
		expect(written.map((record) => record['Last Name'])).toEqual(read.map((record) => record['Last Name']));
		expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual(
			read.map((record) => ({ fields: { 'First Name': record['First Name'], 'Last Name': record['Last Name'] } })),
		);
	});
});

describe('Create or Update says what it did, per item', () => {
	it('by record ID: created for a new ID, updated for an existing one', async () => {
		const next = server.store.table(DEMO.teamId, DEMO.dbId, 'A').nextRid + 50;
		const output = await run(
			{
				operation: 'upsert',
				...where('A'),
				upsertBy: 'id',
				recordId: '={{ $json.id }}',
				fieldsInput: 'json',
				fieldsJson: '={{ JSON.stringify({ "Last Name": $json.last }) }}',
			},
			[{ json: { id: 2, last: 'Updated' } }, { json: { id: next, last: 'Created' } }],
		);
		expect(output.map((record) => [record.action, record.id, record['Last Name']])).toEqual([
			['updated', 2, 'Updated'],
			['created', next, 'Created'],
		]);
	});

	it('by field value: created for a new value, updated for an existing one; raw shape keeps "action" too', async () => {
		const email = stored('A', 4).fields.Email as string;
		const output = await run(
			{
				operation: 'upsert',
				...where('A'),
				upsertBy: 'field',
				matchField: 'Email',
				fieldsInput: 'json',
				fieldsJson: '={{ JSON.stringify({ Email: $json.email, Score: 7 }) }}',
				options: { output: 'raw' },
			},
			[{ json: { email } }, { json: { email: 'brand.new@example.com' } }],
		);
		expect(output.map((record) => [record.action, (record.fields as IDataObject).Email])).toEqual([
			['updated', email],
			['created', 'brand.new@example.com'],
		]);
	});

	it('keeps a field named "action" as "action (field)"', async () => {
		const [record] = await run({
			operation: 'upsert',
			...where(oddTableId),
			upsertBy: 'id',
			recordId: '1',
			fieldsInput: 'json',
			fieldsJson: '{"Title": "again"}',
		});
		expect(record).toMatchObject({ action: 'updated', 'action (field)': 'none', Title: 'again', 'id (field)': 'X-1' });
	});
});
