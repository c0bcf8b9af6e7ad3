/**
 * Injection: ids and names holding / ? # % .. & and unicode are one URL-encoded path segment each and cannot reach
 * another endpoint (checked on the server's request log: rawPath and decoded segments); a Ninox script with quotes,
 * line breaks and unicode reaches the server unchanged, as a GET query string and in POST bodies.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from '../harness/engine';
import type { LoggedRequest, NinoxServer } from '../server';
import { DEMO, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

const TOKEN = 'reliability-inject-token-c4e2a7190f';
const sink = new LeakSink('injection');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const T = DEMO.teamId;
const DB = DEMO.dbId;

/** Every character class that could end a segment, start a query or fragment, escape, climb up, or join queries. */
const EVIL = 'x/../../teams?a=1&b=2#frag%2F ü 表 ☃';
const EVIL_TABLE_NAME = 'Orders / 2024 ? #1 & 50% .. ü 表';
const EVIL_FILE_NAMES = ['../../../../teams', 'a/b?c#d%2F e & f.txt', 'Übersicht März 東京 ☃ %20.txt', '..%2F..%2Frecords'];

const ENCODED = 'injection: ids and names with / ? # % .. & unicode';
const SCRIPTS = 'injection: scripts unchanged (GET and POST)';

let server: NinoxServer;
let victimId: number;

beforeAll(async () => {
	sink.addSecret(TOKEN);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'demo', token: TOKEN });
	server.store.addTable(T, DB, { name: EVIL_TABLE_NAME, fields: [{ name: 'Title', type: 'string' }] });
});
beforeEach(() => {
	[victimId] = server.store.insertRecords(T, DB, 'A', [{ 'First Name': 'Victim', 'Last Name': 'Untouched' }]);
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, items?: INodeExecutionData[]) {
	return sink.run(await runNode({ parameters, credentials: localCredentials(server), items }));
}

/** The path as the transport must send it: each segment percent-encoded on its own. */
const rawPathOf = (segments: string[]) => '/v1/' + segments.map((segment) => encodeURIComponent(segment)).join('/');

function expectOnly(requests: LoggedRequest[], segments: string[][]) {
	expect(requests.map((request) => request.segments)).toEqual(segments);
	expect(requests.map((request) => request.rawPath)).toEqual(segments.map(rawPathOf));
	expect(requests.map((request) => request.query)).toEqual(segments.map(() => expect.not.objectContaining({ a: '1' })));
}

function victimIntact() {
	expect(server.store.getRecord(T, DB, 'A', victimId)?.fields).toMatchObject({ 'First Name': 'Victim', 'Last Name': 'Untouched' });
}

describe('ids are one encoded path segment', () => {
	it.each([
		['team', { resource: 'team', operation: 'get', team: byId(EVIL) }, ['teams', EVIL], `Team ${EVIL} not found (404)`],
		[
			'database',
			{ resource: 'database', operation: 'getSchema', team: byId(T), database: byId(EVIL) },
			['teams', T, 'databases', EVIL],
			`Database ${EVIL} not found in team ${T} (404)`,
		],
		[
			'table',
			{ resource: 'record', operation: 'getAll', team: byId(T), database: byId(DB), table: byId(EVIL), returnAll: true },
			['teams', T, 'databases', DB, 'tables', EVIL, 'records'],
			`Table ${EVIL} not found in database ${DB} of team ${T} (404)`,
		],
		[
			'record (file list of a table named evilly)',
			{ resource: 'file', operation: 'getAll', team: byId(T), database: byId(DB), table: byId(EVIL), recordId: '1', returnAll: true },
			['teams', T, 'databases', DB, 'tables', EVIL, 'records', '1', 'files'],
			`Table ${EVIL} not found in database ${DB} of team ${T} (404)`,
		],
	] as const)('%s id holding / ? # %% .. & and unicode', async (_what, parameters, segments, message) => {
		const { error } = await run(parameters);
		expect(error?.message).toBe(message);
		expectOnly(server.requests, [[...segments]]);
		sink.row({ group: ENCODED, case: `${_what} id with / ? # % .. & unicode`, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('a table addressed by a name holding / ? # % .. & and unicode is found, read and written', async () => {
		const location = { team: byId(T), database: byId(DB), table: byId(EVIL_TABLE_NAME) };
		const created = await run(
			{ resource: 'record', operation: 'create', ...location, fieldsInput: 'json', fieldsJson: '{"Title": "reached ✓"}', options: {} },
		);
		expect(created.error).toBeUndefined();
		const read = await run({ resource: 'record', operation: 'getAll', ...location, returnAll: true, options: { output: 'raw' } });
		expect(read.items.map((item) => (item.json.fields as IDataObject).Title)).toEqual(['reached ✓']);
		const tablePath = ['teams', T, 'databases', DB, 'tables', EVIL_TABLE_NAME];
		expectOnly(server.requests, [tablePath, [...tablePath, 'records'], [...tablePath, 'records']]);
		sink.row({ group: ENCODED, case: 'table name with / ? # % .. & unicode', tried: 2, passed: 2, lost: 0, duplicated: 0 });
	});

	it.each(['1/../2', '1?ids=2', '1#2', '1%2F2', '1&2', '2 ', ' A3'])('record id %p is never sent as a path', async (id) => {
		const { error, items } = await run({ resource: 'record', operation: 'delete', team: byId(T), database: byId(DB), table: byId('A'), recordId: id });
		if (/^\s*A?\d+\s*$/.test(id)) {
			// A number with spaces around it (or a Ninox reference like A2) is that record: one segment, the number.
			expect(error).toBeUndefined();
			expect(items[0].json).toEqual({ deleted: true, id: Number(id.trim().replace('A', '')) });
			expectOnly(server.requests, [['teams', T, 'databases', DB, 'tables', 'A', 'records', id.trim().replace('A', '')]]);
		} else {
			expect(error?.message).toBe(`Record ID "${id}" is not a record ID`);
			expect(server.requests).toEqual([]);
		}
		victimIntact();
		sink.row({ group: ENCODED, case: `record id ${JSON.stringify(id)}`, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

describe('file names are one encoded path segment', () => {
	it.each(EVIL_FILE_NAMES)('%p: upload, metadata, download and delete reach only that file', async (name) => {
		const location = { team: byId(T), database: byId(DB), table: byId('A'), recordId: String(victimId) };
		const data = Buffer.from(`bytes of ${name}`, 'utf8');
		const upload = await run(
			{ resource: 'file', operation: 'upload', ...location, binaryPropertyName: 'data', options: {} },
			[{ json: {}, binary: { data: { data: data.toString('base64'), mimeType: 'text/plain', fileName: name } } }],
		);
		expect(upload.error).toBeUndefined();
		const metadata = await run({ resource: 'file', operation: 'getMetadata', ...location, fileName: name });
		expect(metadata.items[0].json).toMatchObject({ name, size: data.length });
		const download = await run({ resource: 'file', operation: 'download', ...location, fileName: name, binaryPropertyName: 'data' });
		expect(Buffer.from(download.items[0].binary!.data.data, 'base64').equals(data)).toBe(true);
		const removed = await run({ resource: 'file', operation: 'delete', ...location, fileName: name });
		expect(removed.items[0].json).toEqual({ deleted: true, name });

		const files = ['teams', T, 'databases', DB, 'tables', 'A', 'records', String(victimId), 'files'];
		expectOnly(server.requests, [files, [...files, name, 'metadata'], [...files, name], [...files, name]]);
		expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET', 'GET', 'DELETE']);
		expect(server.store.listFiles(T, DB, 'A', victimId)).toEqual([]);
		victimIntact();
		sink.row({ group: ENCODED, case: `file name ${JSON.stringify(name)}`, tried: 4, passed: 4, lost: 0, duplicated: 0 });
	});
});

describe('"." and ".." cannot be a path segment', () => {
	// URL parsers resolve "." and ".." segments (also written %2E), so such an id or file name would address the
	// level above it: the record itself instead of its file, the team instead of a database.
	const recordLocation = () => ({ team: byId(T), database: byId(DB), table: byId('A'), recordId: String(victimId) });
	it.each([
		['File → Delete of a file named ".."', '..', () => ({ resource: 'file', operation: 'delete', ...recordLocation(), fileName: '..' })],
		['File → Download of a file named "."', '.', () => ({ resource: 'file', operation: 'download', ...recordLocation(), fileName: '.', binaryPropertyName: 'data' })],
		['Database → Get Schema of database ".."', '..', () => ({ resource: 'database', operation: 'getSchema', team: byId(T), database: byId('..') })],
		['Record → Get Many of table ".."', '..', () => ({ resource: 'record', operation: 'getAll', team: byId(T), database: byId(DB), table: byId('..'), returnAll: true })],
	] as const)('%s fails clearly, naming it, and reaches nothing', async (label, name, parameters) => {
		const { error, items } = await run(parameters());
		const sent = server.requests.map((request) => `${request.method} ${request.rawPath}`);
		const victimLost = server.store.getRecord(T, DB, 'A', victimId) === undefined;
		const held = sent.length === 0 && items.length === 0 && !!error?.message.includes(`"${name}"`) && !victimLost;
		// The row first, so the summary shows a failure (and what it cost) too.
		sink.row({ group: 'injection: "." and ".." as id or file name', case: label, tried: 1, passed: held ? 1 : 0, lost: victimLost ? 1 : 0, duplicated: 0 });
		expect({ sent, output: items.map((item) => item.json) }).toEqual({ sent: [], output: [] });
		expect(error?.message).toContain(`"${name}"`);
		victimIntact();
	});
});

describe('scripts reach the server unchanged', () => {
	const script = [
		'let marker := "Zoë & \\"quoted\\" #1 50% + ? / .. \'single\'',
		'second line ☃ 美咲";',
		'// a comment: ünïcödé %20 &amp;',
		`(select Contact where 'Last Name' = "O'Brien").'First Name'`,
	].join('\n');
	const expectedNames = () =>
		server.store
			.getRecords(T, DB, 'A')
			.filter((record) => record.fields['Last Name'] === "O'Brien" && record.fields['First Name'] !== undefined)
			.map((record) => record.fields['First Name']);
	const database = { team: byId(T), database: byId(DB) };

	it.each([
		['GET query string', false, 'GET'],
		['POST body', true, 'POST'],
	] as const)('Query as %s', async (_form, forcePost, method) => {
		const { items, error } = await run({
			resource: 'script',
			operation: 'query',
			...database,
			script,
			options: { forcePost, fullRecords: false, splitIntoItems: false },
		});
		expect(error).toBeUndefined();
		expect(expectedNames().length).toBeGreaterThan(0);
		expect(items[0].json.result).toEqual(expectedNames());
		expect(server.requests).toHaveLength(1);
		const [request] = server.requests;
		expect(request).toMatchObject({ method, segments: ['teams', T, 'databases', DB, 'query'], status: 200 });
		if (method === 'GET') {
			expect(request.query).toEqual({ query: script });
			expect(request.body).toBeUndefined();
		} else {
			expect(request.body).toEqual({ query: script });
			expect(request.query).toEqual({});
		}
		sink.row({ group: SCRIPTS, case: `script with quotes, newlines, unicode: query ${method}`, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('Execute (POST body) writes the text exactly', async () => {
		const text = 'Zoë "exec" \'x\' & #1 50% ☃\nline two 美咲';
		const exec = `let r := create Contact;\nr.'First Name' := "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}";\nr`;
		const { items, error } = await run({ resource: 'script', operation: 'execute', ...database, script: exec, options: { fullRecords: false, splitIntoItems: false } });
		expect(error).toBeUndefined();
		const reference = String(items[0].json.result);
		expect(reference).toMatch(/^A\d+$/);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({ method: 'POST', segments: ['teams', T, 'databases', DB, 'exec'], body: { query: exec } });
		expect(server.store.getRecord(T, DB, 'A', Number(reference.slice(1)))?.fields['First Name']).toBe(text);
		sink.row({ group: SCRIPTS, case: 'script with quotes, newlines, unicode: execute POST', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

checkLeaksLast(sink, { errors: true });
