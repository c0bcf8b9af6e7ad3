/**
 * Bad input: each a clear error naming the item (and the field or id). Without Continue On Fail the run stops
 * with the error (its item index set) and, for input the node can check itself, nothing is written; with it, the
 * bad item becomes an error item paired to its input while the good items go through.
 */
import { createServer } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	IPairedItemData,
} from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from '../harness/engine';
import type { NinoxServer } from '../server';
import { DEMO, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

// Persistent proxy faults are retried with backoff; `sleep` returns at once here so they fail in milliseconds.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => {}) };
});

const TOKEN = 'reliability-input-token-0d9e4f1b66';
const WRONG_TOKEN = 'reliability-wrong-token-a51c07e2bb';
const NO_ACCESS_TOKEN = 'reliability-none-token-3f8a2d6c10';
const MAX_UPLOAD_BYTES = 4096;
const sink = new LeakSink('badInput');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const inDatabase = { team: byId(DEMO.teamId), database: byId(DEMO.dbId) };

let server: NinoxServer;
/** Fixed ids: the cases below are built before the server starts. */
const tableId = 'X';
const linksTableId = 'Y';
let refusedUrl: string;

beforeAll(async () => {
	for (const secret of [TOKEN, WRONG_TOKEN, NO_ACCESS_TOKEN]) sink.addSecret(secret);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'demo', token: TOKEN, maxUploadBytes: MAX_UPLOAD_BYTES });
	server.addToken(NO_ACCESS_TOKEN, 'none');
	server.store.addTable(DEMO.teamId, DEMO.dbId, {
		id: tableId,
		name: 'Inputs',
		fields: [
			{ name: 'Name', type: 'string' },
			{ name: 'N', type: 'number' },
			{ name: 'Status', type: 'choice', choices: ['Open', 'Closed'] },
			{ name: 'Label', type: 'string', fn: "Name + \" #\" + N" },
		],
	});
	// A reference from Links to Inputs gives Inputs the reverse reference "Links" (read-only).
	server.store.addTable(DEMO.teamId, DEMO.dbId, {
		id: linksTableId,
		name: 'Links',
		fields: [{ name: 'Target', type: 'ref', refTable: 'Inputs', revName: 'Links' }],
	});
	server.store.insertRecords(DEMO.teamId, DEMO.dbId, tableId, [
		{ Name: 'one', N: 1, Status: 'Open' },
		{ Name: 'two', N: 2, Status: 'Open' },
		{ Name: 'three', N: 3, Status: 'Closed' },
	]);
	refusedUrl = await closedPortUrl();
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

/** A local address nothing listens on: a port that was free a moment ago. */
async function closedPortUrl(): Promise<string> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

/** Cases whose error (without Continue On Fail) did not carry the index of the item at fault. */
const withoutItemIndex: string[] = [];
let checkedCases = 0;

const json = (values: IDataObject[]) => values.map((value) => ({ json: value }));
const writes = () => server.requests.filter((request) => request.method !== 'GET');
const recordCount = () => server.store.table(DEMO.teamId, DEMO.dbId, tableId).records.size;

interface BadInputCase {
	name: string;
	parameters: INodeParameters;
	/** Default: one empty item. */
	items?: INodeExecutionData[];
	/** The item at fault; the others are good. `all`: the fault is not the item's (credential, server): every item fails. */
	badItem: number | 'all';
	message: RegExp;
	description?: RegExp;
	/** Text that names the field or id at fault: in the message or the description. */
	names?: string;
	httpCode?: string;
	credentials?: ICredentialDataDecryptedObject;
	/** Input the node checks itself: nothing may be sent to a write endpoint. */
	noWrites?: boolean;
	/** Run before each of the two runs (faults are queued per run). */
	arrange?: () => void;
	/** After the Continue On Fail run: what the good items did. */
	afterContinue?: (output: INodeExecutionData[]) => void;
}

async function run(testCase: BadInputCase, continueOnFail: boolean) {
	server.faults.clear();
	testCase.arrange?.();
	server.clearLog();
	return sink.run(
		await runNode({
			parameters: testCase.parameters,
			credentials: testCase.credentials ?? localCredentials(server),
			items: testCase.items,
			continueOnFail,
		}),
	);
}

/** Runs the case without and with Continue On Fail and checks both; returns how many checks held. */
async function check(testCase: BadInputCase): Promise<void> {
	const itemCount = testCase.items?.length ?? 1;
	const badItems = testCase.badItem === 'all' ? Array.from({ length: itemCount }, (_, i) => i) : [testCase.badItem];

	const recordsBefore = recordCount();
	const stopped = await run(testCase, false);
	const error = stopped.error;
	expect(error).toBeDefined();
	expect(error?.message).toMatch(testCase.message);
	if (testCase.description) expect(error?.description).toMatch(testCase.description);
	if (testCase.names) expect(`${error?.message} ${error?.description}`).toContain(testCase.names);
	if (testCase.httpCode) expect(error?.httpCode).toBe(testCase.httpCode);
	// Collected, not asserted here: one test below lists every case whose error does not name its item.
	checkedCases++;
	if (error?.context?.itemIndex !== badItems[0]) withoutItemIndex.push(testCase.name);
	if (testCase.noWrites) {
		expect(writes()).toEqual([]);
		expect(recordCount()).toBe(recordsBefore);
	}

	const continued = await run(testCase, true);
	expect(continued.error).toBeUndefined();
	const errorItems = continued.items.filter((item) => typeof item.json.error === 'string');
	expect(errorItems.map((item) => item.pairedItem)).toEqual(badItems.map((item) => ({ item })));
	for (const item of errorItems) {
		expect(item.json.error).toMatch(testCase.message);
		if (testCase.description) expect(item.json.description).toMatch(testCase.description);
	}
	// Nothing lost: every input item has an output item paired to it.
	const paired = new Set(continued.items.map((item) => (item.pairedItem as IPairedItemData).item));
	expect([...paired].sort()).toEqual(Array.from({ length: itemCount }, (_, i) => i));
	testCase.afterContinue?.(continued.items);
	sink.row({ group: 'bad input: clear error, item named, nothing lost', case: testCase.name, tried: 2, passed: 2, lost: 0, duplicated: 0 });
}

const recordWrite = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'record',
	operation,
	...inDatabase,
	table: byId(tableId),
	fieldsInput: 'json',
	fieldsJson: '={{ $json.fields }}',
	...extra,
});

const created = (count: number) => (output: INodeExecutionData[]) =>
	expect(output.filter((item) => typeof item.json.id === 'number')).toHaveLength(count);

describe('bad input: a clear error naming the item and the field or id', () => {
	const cases: BadInputCase[] = [
		{
			name: 'invalid JSON in Fields (JSON)',
			parameters: recordWrite('create'),
			items: json([{ fields: '{"Name": "a"}' }, { fields: '{"Name": "b",}' }, { fields: '{"Name": "c"}' }]),
			badItem: 1,
			message: /^The Fields \(JSON\) of item 1 is not valid JSON/,
			noWrites: true,
			afterContinue: created(2),
		},
		{
			name: 'Fields (JSON) that is not an object',
			parameters: recordWrite('create'),
			items: json([{ fields: '{"Name": "a"}' }, { fields: '[1, 2]' }]),
			badItem: 1,
			message: /^The Fields \(JSON\) of item 1 is not a JSON object/,
			noWrites: true,
			afterContinue: created(1),
		},
		{
			name: 'filter value the field cannot take',
			parameters: {
				resource: 'record',
				operation: 'getAll',
				...inDatabase,
				table: byId(tableId),
				returnAll: true,
				filters: { conditions: [{ field: 'N', value: '={{ $json.n }}' }] },
			},
			items: json([{ n: '1' }, { n: 'one' }, { n: '3' }]),
			badItem: 1,
			message: /^Condition on "N" \(item 1\): "one" is not a number/,
			afterContinue: (output) => expect(output.filter((item) => item.json.id).map((item) => item.json.id)).toEqual([1, 3]),
		},
		{
			name: 'unknown field in a filter (close matches)',
			parameters: {
				resource: 'record',
				operation: 'getAll',
				...inDatabase,
				table: byId(tableId),
				returnAll: true,
				filters: { conditions: [{ field: '={{ $json.field }}', value: 'Open' }] },
			},
			items: json([{ field: 'Status' }, { field: 'Stauts' }]),
			badItem: 1,
			message: /^Unknown field "Stauts" in the conditions \(item 1\)/,
			description: /Did you mean "Status"\?/,
		},
		{
			name: 'unknown field name in a write (close matches)',
			parameters: recordWrite('create'),
			items: json([{ fields: '{"Name": "a"}' }, { fields: '{"name": "b", "N": 2}' }, { fields: '{"Name": "c"}' }]),
			badItem: 1,
			message: /^Unknown field "name" in item 1: table "Inputs" has no such field/,
			description: /Did you mean "Name"\?/,
			noWrites: true,
			afterContinue: created(2),
		},
		{
			name: 'writing a formula field',
			parameters: recordWrite('update', { recordId: '={{ $json.id }}' }),
			items: json([{ id: 1, fields: '{"N": 10}' }, { id: 2, fields: '{"Label": "x"}' }]),
			badItem: 1,
			message: /^Field "Label" in item 1 is read-only: it is a formula field/,
			noWrites: true,
		},
		{
			name: 'writing a reverse reference',
			parameters: recordWrite('upsert', { upsertBy: 'id', recordId: '={{ $json.id }}' }),
			items: json([{ id: 2, fields: '{"Links": [1]}' }]),
			badItem: 0,
			message: /^Field "Links" in item 0 is read-only: it is a reverse reference/,
			noWrites: true,
		},
		{
			name: 'a value the field cannot take',
			parameters: recordWrite('create'),
			items: json([{ fields: '{"Status": "Open"}' }, { fields: '{"Status": "Pending"}' }]),
			badItem: 1,
			message: /^Field "Status" in item 1: "Pending" is not a choice of this field \("Open", "Closed"\)/,
			noWrites: true,
			afterContinue: created(1),
		},
		...[
			['non-numeric record id', 'abc', /^Record ID "abc" is not a record ID/],
			['negative record id', '-3', /^Record ID "-3" is not a record ID/],
			['zero record id', '0', /^Record ID "0" is not a record ID/],
			['empty record id', '', /^Record ID is empty/],
		].map(
			([name, id, message]): BadInputCase => ({
				name: name as string,
				parameters: { resource: 'record', operation: 'get', ...inDatabase, table: byId(tableId), recordId: '={{ $json.id }}' },
				items: json([{ id: 1 }, { id }, { id: 3 }]),
				badItem: 1,
				message: message as RegExp,
				description: /whole number from 1/,
				afterContinue: (output) => {
					expect(output.filter((item) => item.json.id).map((item) => item.json.id)).toEqual([1, 3]);
					// Nothing is asked of Ninox for an id that is not one.
					expect(server.requests.map((request) => request.segments.at(-1))).toEqual(['1', '3']);
				},
			}),
		),
		{
			name: 'record id that is not a number in a batched delete',
			parameters: { resource: 'record', operation: 'deleteMany', ...inDatabase, table: byId(tableId), recordId: '={{ $json.id }}', options: {} },
			items: json([{ id: 'B2x' }]),
			badItem: 0,
			message: /^Record ID "B2x" is not a record ID/,
			noWrites: true,
		},
		{
			name: 'missing binary property',
			parameters: { resource: 'file', operation: 'upload', ...inDatabase, table: byId(tableId), recordId: '1', binaryPropertyName: 'data', options: {} },
			items: [
				{ json: {}, binary: { data: { data: Buffer.from('ok').toString('base64'), mimeType: 'text/plain', fileName: 'ok.txt' } } },
				{ json: {}, binary: { attachment: { data: Buffer.from('x').toString('base64'), mimeType: 'text/plain', fileName: 'x.txt' } } },
			],
			badItem: 1,
			message: /^Item 1 has no binary field "data"/,
			description: /Its binary fields are: attachment/,
			noWrites: false,
			afterContinue: () => expect(server.store.listFiles(DEMO.teamId, DEMO.dbId, tableId, 1).map((file) => file.name)).toContain('ok.txt'),
		},
		{
			name: 'file over the size the server accepts',
			parameters: { resource: 'file', operation: 'upload', ...inDatabase, table: byId(tableId), recordId: '2', binaryPropertyName: 'data', options: {} },
			items: [100, MAX_UPLOAD_BYTES + 1].map((size, i) => ({
				json: {},
				binary: { data: { data: Buffer.alloc(size, 7).toString('base64'), mimeType: 'application/octet-stream', fileName: `size${i}.bin` } },
			})),
			badItem: 1,
			message: /File too large \(413\)/,
			httpCode: '413',
			names: `/records/2/files`,
			afterContinue: () => expect(server.store.listFiles(DEMO.teamId, DEMO.dbId, tableId, 2).map((file) => file.name)).toEqual(['size0.bin']),
		},
		{
			name: 'wrong token (401)',
			parameters: { resource: 'team', operation: 'get', team: byId(DEMO.teamId) },
			credentials: { environment: 'onPremise', baseUrl: '', token: WRONG_TOKEN },
			items: json([{}, {}]),
			badItem: 'all',
			message: /^Ninox rejected the personal access token \(401 Unauthorized\)$/,
			description: /Generate a new one in Ninox/,
			httpCode: '401',
		},
		{
			name: 'wrong token (401), Team → Get Many',
			parameters: { resource: 'team', operation: 'getAll' },
			credentials: { environment: 'onPremise', baseUrl: '', token: WRONG_TOKEN },
			items: json([{}, {}]),
			badItem: 'all',
			message: /^Ninox rejected the personal access token \(401 Unauthorized\)$/,
			description: /Generate a new one in Ninox/,
			httpCode: '401',
		},
		{
			name: 'token without access (403)',
			parameters: { resource: 'table', operation: 'getAll', ...inDatabase },
			credentials: { environment: 'onPremise', baseUrl: '', token: NO_ACCESS_TOKEN },
			badItem: 'all',
			message: /^Ninox denied access \(403 Forbidden\)/,
			description: /without access to this team or database/,
			httpCode: '403',
		},
		{
			name: 'team not found (404)',
			parameters: { resource: 'team', operation: 'get', team: byId('={{ $json.team }}') },
			items: json([{ team: DEMO.teamId }, { team: 'NoSuchTeam' }]),
			badItem: 1,
			message: /^Team NoSuchTeam not found \(404\)$/,
			names: '/teams/NoSuchTeam',
			httpCode: '404',
		},
		{
			name: 'database not found (404)',
			parameters: { resource: 'database', operation: 'getSchema', team: byId(DEMO.teamId), database: byId('={{ $json.db }}') },
			items: json([{ db: 'nodb' }, { db: DEMO.dbId }]),
			badItem: 0,
			message: new RegExp(`^Database nodb not found in team ${DEMO.teamId} \\(404\\)$`),
			names: '/databases/nodb',
			httpCode: '404',
		},
		{
			name: 'table not found (404)',
			parameters: { resource: 'table', operation: 'get', ...inDatabase, table: byId('={{ $json.table }}') },
			items: json([{ table: 'A' }, { table: 'NoSuchTable' }]),
			badItem: 1,
			message: new RegExp(`^Table NoSuchTable not found in database ${DEMO.dbId} of team ${DEMO.teamId} \\(404\\)$`),
			names: '/tables/NoSuchTable',
			httpCode: '404',
		},
		{
			name: 'record not found (404)',
			parameters: { resource: 'record', operation: 'get', ...inDatabase, table: byId(tableId), recordId: '={{ $json.id }}' },
			items: json([{ id: 99999 }, { id: 1 }]),
			badItem: 0,
			message: new RegExp(`^Record 99999 not found in table ${tableId}$`),
			httpCode: '404',
		},
	];

	it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
		// Credentials pointing at the local server are completed here (its URL is known only now).
		if (testCase.credentials && testCase.credentials.baseUrl === '') testCase.credentials = { ...testCase.credentials, baseUrl: server.url };
		await check(testCase);
	});
});

describe('bad credential URL', () => {
	const team = { resource: 'team', operation: 'get', team: byId(DEMO.teamId) };
	it.each([
		['a base URL that is not a URL', 'not a url', /^The Ninox credential's URL is not a valid URL: "https:\/\/not a url\/v1"$/],
		['a base URL with a wrong scheme', 'ftp://ninox.example.com', /^The Ninox credential's URL must start with https:\/\/ \(or http:\/\/\), not "ftp:"$/],
	])('%s', async (name, baseUrl, message) => {
		await check({ name, parameters: team, credentials: { environment: 'onPremise', baseUrl, token: TOKEN }, badItem: 'all', message });
	});

	it('a host that refuses connections: not retried, a clear error naming the URL', async () => {
		const started = Date.now();
		await check({
			name: 'a host that refuses connections',
			parameters: team,
			credentials: { environment: 'onPremise', baseUrl: refusedUrl, token: TOKEN },
			badItem: 'all',
			message: new RegExp(`^Could not reach Ninox at ${refusedUrl.replace(/\./g, '\\.')}/v1$`),
			description: /^\(ECONNREFUSED\) Check the environment and URL in the Ninox credential/,
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});
});

describe('answers that are not Ninox JSON', () => {
	const teams = { resource: 'team', operation: 'get', team: byId(DEMO.teamId) };
	it.each([
		['an HTML error page from a proxy', 'html', /^Ninox server error \(502\)$/, /The answer was an HTML page, not Ninox JSON/],
		['JSON cut short', 'truncated', /^Ninox answered GET \/teams\/mnPLY6DMsvq9wz4id with incomplete JSON instead of JSON \(HTTP 200\)$/, /Tried 6 times/],
		['an empty 200 body', 'empty', /^Ninox answered GET \/teams\/mnPLY6DMsvq9wz4id with an empty body instead of JSON \(HTTP 200\)$/, /Tried 6 times/],
	] as const)('%s: retried, then a clear error', async (name, kind, message, description) => {
		await check({
			name,
			parameters: teams,
			badItem: 'all',
			message,
			description,
			arrange: () => server.faults.add({ kind, times: 100 }),
		});
		expect(server.requests).toHaveLength(6);
		expect(server.requests.every((request) => request.fault === kind)).toBe(true);
	});
});

describe('every error names its item', () => {
	it('each error above carries the index of the item at fault (n8n shows it as "item N")', () => {
		sink.row({ group: 'bad input: errors carry the item index', case: 'errors carry the item index', tried: checkedCases, passed: checkedCases - withoutItemIndex.length, lost: 0, duplicated: 0 });
		expect(withoutItemIndex).toEqual([]);
	});
});

describe('the leak scanner', () => {
	it('finds a planted token and request header (so a clean scan means something)', () => {
		const control = new LeakSink('control');
		control.addSecret(TOKEN);
		const planted = Object.assign(new Error('boom'), { config: { headers: { Authorization: `Bearer ${TOKEN}` } } });
		control.error(planted);
		expect(new Set(control.leaks.map((leak) => leak.what))).toEqual(new Set(['token', 'request header']));
		expect(control.leaks.find((leak) => leak.what === 'token')?.excerpt).toContain(`Bearer ${TOKEN}`);
	});
});

checkLeaksLast(sink);
