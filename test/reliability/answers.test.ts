/**
 * Answers that are not what they claim, and the token's hygiene:
 * - a server that quotes the Authorization header in its 400/500 messages (JSON and plain text) or in a 200 body:
 *   the token reaches no error, item or log (the sink scans them all), `***` stands in its place;
 * - a token pasted with a line break or spaces around it is sent trimmed; one with blanks inside is refused;
 * - a thumbnail answered with JSON `null` and a download answered with a sign-in page are clear errors, not files;
 * - change feeds with and without `nextRid(s)`: the trigger keeps created and updated apart either way.
 */
import { randomBytes } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine, TriggerWorkflow } from '../harness/engine';
import type { FaultSpec, NinoxServer } from '../server';
import { DEMO, demoLogoPng, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

const TOKEN = 'reliability-answers-token-9d2e64b1c8';
const sink = new LeakSink('answers');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const inTable = { team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId('A') };

const ECHO = 'answers: server echoes the token, redacted as ***';
const TOKEN_FORM = 'answers: token trimmed, blanks inside refused';
const NOT_A_FILE = 'answers: null thumbnail, sign-in page download';
const NEXT_RIDS = 'answers: trigger feeds with and without nextRids';

let server: NinoxServer;
let recordId: number;

beforeAll(async () => {
	sink.addSecret(TOKEN);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'demo', token: TOKEN });
	[recordId] = server.store.insertRecords(DEMO.teamId, DEMO.dbId, 'A', [{ 'First Name': 'Answers' }]);
	server.store.addFile(DEMO.teamId, DEMO.dbId, 'A', recordId, { name: 'photo.png', data: demoLogoPng() });
	server.store.addFile(DEMO.teamId, DEMO.dbId, 'A', recordId, { name: 'report.pdf', data: Buffer.from('%PDF-1.4 …') });
	server.store.addFile(DEMO.teamId, DEMO.dbId, 'A', recordId, {
		name: 'page.html',
		data: Buffer.from('<!DOCTYPE html><html><body>a page kept in Ninox</body></html>'),
	});
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, options: { token?: string; continueOnFail?: boolean; items?: INodeExecutionData[] } = {}) {
	return sink.run(
		await runNode({
			parameters,
			credentials: { ...localCredentials(server), ...(options.token !== undefined ? { token: options.token } : {}) },
			continueOnFail: options.continueOnFail,
			items: options.items,
		}),
	);
}

describe('a server that quotes the Authorization header back', () => {
	const teams = { resource: 'team', operation: 'getAll' };
	const create = { resource: 'record', operation: 'create', ...inTable, fieldsInput: 'json', fieldsJson: '{"First Name": "Echo"}' };
	it.each([
		['a 400 {message} on a read', teams, { kind: 'echo-auth', status: 400 }],
		['a 400 plain-text body on a read', teams, { kind: 'echo-auth', status: 400, text: true }],
		['a 500 {message} on a write', create, { kind: 'echo-auth', status: 500 }],
		['a 500 plain-text body on a write', create, { kind: 'echo-auth', status: 500, text: true }],
	] as Array<[string, INodeParameters, FaultSpec]>)('%s: the error says *** where the token was', async (_name, parameters, fault) => {
		server.faults.add({ ...fault, times: 1 });
		const { error } = await run(parameters);
		expect(error?.httpCode).toBe(String(fault.status));
		const text = `${error?.message ?? ''} ${error?.description ?? ''}`;
		expect(text).toContain('Authorization: Bearer ***');
		expect(JSON.stringify(error)).not.toContain(TOKEN);
		sink.row({ group: ECHO, case: _name, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('a 200 whose body quotes the header reaches the item with *** instead', async () => {
		server.faults.add({ kind: 'echo-auth', status: 200, times: 1 });
		const { items, error } = await run(teams);
		expect(error).toBeUndefined();
		expect(JSON.stringify(items)).toContain('Authorization: Bearer ***');
		expect(JSON.stringify(items)).not.toContain(TOKEN);
		sink.row({ group: ECHO, case: '200 body into an item', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('continue on fail: the error item carries *** too', async () => {
		server.faults.add({ kind: 'echo-auth', status: 400, times: 1 });
		const { items } = await run(teams, { continueOnFail: true });
		expect(String(items[0].json.error)).toContain('***');
		expect(JSON.stringify(items)).not.toContain(TOKEN);
		sink.row({ group: ECHO, case: 'error item', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

describe('the token as pasted', () => {
	it.each([
		['a trailing line break', `${TOKEN}\n`],
		['spaces around it', `  ${TOKEN}  `],
		['a Windows line end', `${TOKEN}\r\n`],
	])('with %s it is sent trimmed and works', async (_name, token) => {
		const { items, error } = await run({ resource: 'team', operation: 'getAll' }, { token });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(server.requests.map((request) => [request.status, request.authorized])).toEqual([[200, true]]);
		sink.row({ group: TOKEN_FORM, case: _name, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('with a space or a line break inside it is refused before anything is sent, saying why', async () => {
		const { error } = await run({ resource: 'team', operation: 'getAll' }, { token: `${TOKEN.slice(0, 10)} ${TOKEN.slice(10)}` });
		expect(error?.message).toBe('The personal access token in the Ninox credential holds spaces or line breaks');
		expect(error?.description).toBe('A personal access token is one unbroken string: copy it from Ninox into the credential again.');
		expect(server.requests).toHaveLength(0);
		sink.row({ group: TOKEN_FORM, case: 'blank inside', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

describe('answers that are not the file', () => {
	const file = (operation: string, fileName: string) => ({
		resource: 'file',
		operation,
		...inTable,
		recordId: String(recordId),
		fileName,
	});

	it('a thumbnail answered with JSON null is "no thumbnail", not a 4-byte JPEG', async () => {
		server.faults.add({ kind: 'json-null', match: { path: /thumb\.jpg$/ }, times: 1 });
		const { error } = await run(file('getThumbnail', 'photo.png'));
		expect(error?.message).toBe('Ninox has no thumbnail for the file "photo.png"');
		expect(error?.description).toMatch(/File → Download gets the file itself/);
		expect(server.requests).toHaveLength(1);
		sink.row({ group: NOT_A_FILE, case: 'thumbnail null', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it.each([
		['download', 'report.pdf'],
		['getThumbnail', 'photo.png'],
	])('a %s answered with a sign-in page is a clear error, not the file', async (operation, fileName) => {
		server.faults.add({ kind: 'html-login', times: 1 });
		const { items } = await run(file(operation, fileName), { continueOnFail: true });
		const what = operation === 'download' ? 'download' : 'thumbnail';
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toBe(`Ninox answered the ${what} of "${fileName}" with a web page, not the file (HTTP 200)`);
		expect(server.requests).toHaveLength(1);
		sink.row({ group: NOT_A_FILE, case: `${what} sign-in page`, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('a real thumbnail and a web page kept as a file still download', async () => {
		const thumbnail = await run(file('getThumbnail', 'photo.png'));
		expect(thumbnail.error).toBeUndefined();
		expect(Buffer.from(thumbnail.items[0].binary!.data.data, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
		const page = await run(file('download', 'page.html'));
		expect(page.error).toBeUndefined();
		expect(Buffer.from(page.items[0].binary!.data.data, 'base64').toString()).toMatch(/^<!DOCTYPE html>/);
		sink.row({ group: NOT_A_FILE, case: 'real thumbnail, .html file', tried: 2, passed: 2, lost: 0, duplicated: 0 });
	});
});

describe('the trigger with and without nextRids in the feed', () => {
	/** A database of its own: table A with three records made "long ago" (one clock tick each). */
	function scenario(extra: INodeParameters = {}) {
		const db = server.store.addDatabase(DEMO.teamId, { name: `Answers ${randomBytes(3).toString('hex')}` });
		db.addTable({ name: 'Items', fields: [{ name: 'Name', type: 'string' }] });
		db.addTable({ name: 'Other', fields: [{ name: 'Name', type: 'string' }] });
		server.store.insertRecords(DEMO.teamId, db.id, 'A', [{ Name: 'one' }, { Name: 'two' }, { Name: 'three' }]);
		const trigger = new TriggerWorkflow(
			{ team: byId(DEMO.teamId), database: byId(db.id), scope: 'database', events: ['created', 'updated', 'deleted'], ...extra },
			localCredentials(server),
		);
		const poll = async () => {
			const output = await trigger.poll();
			sink.items('poll output', output?.[0]);
			return Object.fromEntries(
				(output?.[0] ?? []).map((item) => [`${item.json.tableId as string}${item.json.recordId as number}`, item.json.event]),
			);
		};
		return {
			trigger,
			poll,
			create: (tableId: string, name: string) => server.store.insertRecords(DEMO.teamId, db.id, tableId, [{ Name: name }])[0],
			update: (tableId: string, id: number, name: string) => server.store.updateRecord(DEMO.teamId, db.id, tableId, id, { Name: name }),
		};
	}
	const withoutNextRids = () => server.faults.add({ kind: 'without-next-rids', match: { path: /\/changes$/ }, times: 1000 });

	// Writes a millisecond apart could share a timestamp: give each its own.
	beforeAll(() => {
		let clock = Date.UTC(2025, 0, 1);
		server.store.now = () => (clock += 1000);
	});

	it.each([
		['every feed with nextRids', false, false, {}],
		['no feed with nextRids (database scope)', true, true, {}],
		['no feed with nextRids (table scope)', true, true, { scope: 'table', table: byId('A') }],
		['the first feed with, later ones without', false, true, {}],
		['the first feed without, later ones with', true, false, {}],
	] as Array<[string, boolean, boolean, INodeParameters]>)('%s: created and updated stay apart', async (name, firstWithout, laterWithout, extra) => {
		const { poll, create, update } = scenario(extra);
		if (firstWithout) withoutNextRids();
		expect(await poll()).toEqual({});
		server.faults.clear();
		if (laterWithout) withoutNextRids();

		const fresh = create('A', 'four');
		update('A', 2, 'two, edited');
		const tableScope = extra.scope === 'table';
		const inOther = tableScope ? undefined : create('B', 'elsewhere');
		const expected: Record<string, string> = { [`A${fresh}`]: 'created', A2: 'updated' };
		if (inOther !== undefined) expected[`B${inOther}`] = 'created';
		const first = await poll();
		expect(first).toEqual(expected);

		// the record created in the last poll, edited now, is an update; a newer one is a create
		update('A', fresh, 'four, edited');
		const newer = create('A', 'five');
		update('A', 1, 'one, edited');
		const second = await poll();
		expect(second).toEqual({ [`A${fresh}`]: 'updated', [`A${newer}`]: 'created', A1: 'updated' });

		const tried = Object.keys(expected).length + 3;
		const wrong = [...Object.entries(first)].filter(([key, event]) => expected[key] !== event).length;
		sink.row({ group: NEXT_RIDS, case: name, tried, passed: tried - wrong, lost: 0, duplicated: 0 });
	});
});

checkLeaksLast(sink, { errors: true, logs: true });
