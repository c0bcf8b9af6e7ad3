/**
 * Never wait forever, never repeat a poll: a server that accepts the connection and never answers, answers that
 * come late, and polls of one trigger that overlap because one outlived the poll interval.
 * - A timed-out read is retried like a reset and then fails with a clear error; the time it takes is bounded by
 *   timeout × attempts (printed, not asserted: speed is for `npm run bench`).
 * - A timed-out create or script is in doubt: sent once, its items reported as in doubt, never resent.
 * - A poll that times out fails cleanly and keeps its cursor; two overlapping polls never emit a change twice and
 *   never move the cursor back.
 * - The default timeout is measured against the local server's slowest legitimate answers.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS, MAX_ATTEMPTS } from '../../nodes/Ninox/transport';
import { localCredentials, runNode, shutdownEngine, TriggerWorkflow } from '../harness/engine';
import type { NinoxServer } from '../server';
import { DEMO, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

// Backoff waits with n8n-workflow's `sleep`: here it returns at once and records what it was asked to wait, so the
// figures below are the timeouts themselves (the real backoff adds about 15 s to a read's last failure).
const requestedSleeps: number[] = [];
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return {
		...actual,
		sleep: jest.fn(async (ms: number) => {
			requestedSleeps.push(ms);
		}),
	};
});

const TOKEN = 'reliability-silence-token-3fa9c71e02';
const sink = new LeakSink('silence');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const inDatabase = { team: byId(DEMO.teamId), database: byId(DEMO.dbId) };
/** Short timeouts, so that a silent server costs a test seconds, not minutes. */
const TIMEOUT_SECONDS = 0.3;
const timeout = { requestOptions: { timeout: TIMEOUT_SECONDS } };

const SILENT_READ = 'silence: silent server, reads retried then a clear error';
const SILENT_WRITE = 'silence: silent server, create/exec in doubt, never resent';
const SILENT_POLL = 'silence: silent feed fails the poll, cursor kept';
const OVERLAP = 'silence: overlapping polls, no change twice, cursor never back';

let server: NinoxServer;

beforeAll(async () => {
	sink.addSecret(TOKEN);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'demo', token: TOKEN });
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, options: { items?: INodeExecutionData[]; continueOnFail?: boolean; baseUrl?: string } = {}) {
	return sink.run(
		await runNode({
			parameters,
			credentials: { ...localCredentials(server), ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
			items: options.items,
			continueOnFail: options.continueOnFail,
		}),
	);
}

/** The figure a silent server costs: what was waited, against timeout × attempts. */
function report(what: string, started: number, attempts: number, timeoutSeconds: number): void {
	const waited = (Date.now() - started) / 1000;
	console.log(
		`${what}: ${attempts} attempt(s) × ${timeoutSeconds} s timeout = ${(attempts * timeoutSeconds).toFixed(1)} s; ` +
			`returned after ${waited.toFixed(1)} s (backoff skipped here). With the default ${DEFAULT_TIMEOUT_SECONDS} s: ` +
			`${attempts} × ${DEFAULT_TIMEOUT_SECONDS} s + about 15 s of backoff.`,
	);
}

describe('a server that accepts the connection and never answers', () => {
	it('a read is tried MAX_ATTEMPTS times, each ending at the timeout, then fails clearly (a raw TCP server)', async () => {
		const accepted: net.Socket[] = [];
		const silent = net.createServer((socket) => accepted.push(socket)); // accepts, reads nothing, answers nothing
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
		const { port } = silent.address() as net.AddressInfo;
		try {
			const started = Date.now();
			const { error } = await run({ resource: 'team', operation: 'getAll', ...timeout }, { baseUrl: `http://127.0.0.1:${port}` });
			report('silent TCP server, GET /teams', started, accepted.length, TIMEOUT_SECONDS);
			expect(error?.message).toBe(`Ninox did not answer GET /teams within ${TIMEOUT_SECONDS} s`);
			expect(error?.description).toBe(
				`(TIMEOUT) Tried ${MAX_ATTEMPTS} times, waiting ${TIMEOUT_SECONDS} s each time. If Ninox needs longer, raise the node's Timeout option; otherwise try again later.`,
			);
			expect(accepted).toHaveLength(MAX_ATTEMPTS);
			sink.row({ group: SILENT_READ, case: 'raw TCP, GET /teams', tried: 1, passed: 1, lost: 0, duplicated: 0 });
		} finally {
			for (const socket of accepted) socket.destroy();
			await new Promise<void>((resolve) => silent.close(() => resolve()));
		}
	});

	it('a read that times out once is retried and succeeds', async () => {
		server.faults.add({ kind: 'silent', times: 1 });
		const { items, error } = await run({ resource: 'team', operation: 'getAll', ...timeout });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(server.requests.map((request) => request.status)).toEqual([0, 200]);
		sink.row({ group: SILENT_READ, case: 'one silence, then an answer', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('every read operation through the local server: fails in bounded time, nothing else sent', async () => {
		server.faults.add({ kind: 'silent', times: 1000 });
		const started = Date.now();
		const { error } = await run({ resource: 'record', operation: 'getAll', ...inDatabase, table: byId('A'), returnAll: true, ...timeout });
		report('silent local server, record get many', started, server.requests.length, TIMEOUT_SECONDS);
		expect(error?.message).toMatch(/^Ninox did not answer GET \/teams\/.+ within 0\.3 s$/);
		expect(server.requests).toHaveLength(MAX_ATTEMPTS);
		expect(server.requests.every((request) => request.status === 0)).toBe(true);
		sink.row({ group: SILENT_READ, case: 'local server, record get many', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('a create that times out after Ninox applied it is in doubt: sent once, its items reported, the record there once', async () => {
		const before = server.store.getRecords(DEMO.teamId, DEMO.dbId, 'A').length;
		server.faults.add({ kind: 'silent-after', match: { method: 'POST' }, times: 1 });
		const items = [{ json: { 'First Name': 'Timed' } }, { json: { 'First Name': 'Out' } }];
		const { items: output, error } = await run(
			{
				resource: 'record',
				operation: 'create',
				...inDatabase,
				table: byId('A'),
				fieldsInput: 'json',
				fieldsJson: '={{ JSON.stringify($json) }}',
				...timeout,
			},
			{ items, continueOnFail: true },
		);
		expect(error).toBeUndefined();
		const posts = server.requests.filter((request) => request.method === 'POST');
		expect(posts).toHaveLength(1);
		expect(output).toHaveLength(2);
		for (const [index, item] of output.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ inDoubt: true });
			expect(String(item.json.error)).toMatch(/^Ninox did not answer POST \/teams\/.+\/records within 0\.3 s$/);
		}
		expect(String(output[0].json.description ?? '')).toMatch(/may or may not have applied this request/);
		const after = server.store.getRecords(DEMO.teamId, DEMO.dbId, 'A');
		expect(after.length - before).toBe(2); // applied once by the server, never a second time
		expect(after.filter((record) => record.fields['First Name'] === 'Timed')).toHaveLength(1);
		sink.row({ group: SILENT_WRITE, case: 'create of 2 items', tried: 2, passed: 2, lost: 0, duplicated: 0 });
	});

	it('a script that times out is in doubt and not run again', async () => {
		server.faults.add({ kind: 'silent-after', match: { method: 'POST' }, times: 1 });
		const { error } = await run({ resource: 'script', operation: 'execute', ...inDatabase, script: 'count(select Contact)', ...timeout });
		expect(error?.message).toMatch(/^Ninox did not answer POST \/teams\/.+\/exec within 0\.3 s$/);
		expect(error?.description).toMatch(/may or may not have applied this request\. It was not sent again/);
		expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
		sink.row({ group: SILENT_WRITE, case: 'script execute', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

/** A database of its own with one table and three records, followed by a trigger. */
function triggerScenario(extra: INodeParameters = {}) {
	const db = server.store.addDatabase(DEMO.teamId, { name: `Silence ${randomBytes(3).toString('hex')}` });
	db.addTable({ name: 'Items', fields: [{ name: 'Name', type: 'string' }] });
	server.store.insertRecords(DEMO.teamId, db.id, 'A', [{ Name: 'one' }, { Name: 'two' }, { Name: 'three' }]);
	const trigger = new TriggerWorkflow(
		{ team: byId(DEMO.teamId), database: byId(db.id), scope: 'database', events: ['created', 'updated', 'deleted'], ...extra },
		localCredentials(server),
	);
	const keys = (output: INodeExecutionData[][] | null) =>
		(output?.[0] ?? []).map((item) => `${item.json.event as string} ${item.json.tableId as string}${item.json.recordId as number}`);
	return {
		db,
		trigger,
		keys,
		create: (name: string) => server.store.insertRecords(DEMO.teamId, db.id, 'A', [{ Name: name }])[0],
		update: (recordId: number, name: string) => server.store.updateRecord(DEMO.teamId, db.id, 'A', recordId, { Name: name }),
		sequence: () => trigger.nodeStaticData().sequence as number,
		seq: () => server.store.seq(DEMO.teamId, db.id),
	};
}

describe('the trigger', () => {
	it('a poll whose feed never answers fails with the timeout error and keeps its cursor; the next poll recovers', async () => {
		const scenario = triggerScenario({ options: { timeout: TIMEOUT_SECONDS } });
		await scenario.trigger.poll();
		const cursor = scenario.trigger.staticDataJson();
		const id = scenario.create('four');
		server.faults.add({ kind: 'silent', match: { path: /\/changes$/ }, times: MAX_ATTEMPTS });
		const started = Date.now();
		await expect(scenario.trigger.poll()).rejects.toThrow(/^Ninox did not answer GET .+\/changes within 0\.3 s$/);
		report('silent feed, one poll', started, MAX_ATTEMPTS, TIMEOUT_SECONDS);
		expect(scenario.trigger.staticDataJson()).toEqual(cursor);
		const next = await scenario.trigger.poll();
		expect(scenario.keys(next)).toEqual([`created A${id}`]);
		sink.items('poll output', next?.[0]);
		sink.row({ group: SILENT_POLL, case: 'silent feed, then recovery', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it.each([
		['the later poll finishes first', 'late'],
		['the earlier poll finishes first', 'early'],
	] as const)('two overlapping polls (a slow feed): %s; every change emitted once, the cursor never back', async (_name, order) => {
		const scenario = triggerScenario();
		await scenario.trigger.poll();
		scenario.update(1, 'one, edited before both polls');
		// The first poll's feed answers 400 ms late (its content is the state when it arrived).
		server.faults.add({ kind: 'slow', delayMs: 400, match: { path: /\/changes$/ }, times: 1 });
		const slow = scenario.trigger.poll();
		while (!server.requests.some((request) => request.fault === 'slow')) await new Promise((resolve) => setImmediate(resolve));
		const created = scenario.create('five, made while the slow poll ran');
		let fast: Promise<INodeExecutionData[][] | null>;
		if (order === 'late') {
			fast = scenario.trigger.poll();
		} else {
			// the second poll is slower still: the first one finishes first
			server.faults.add({ kind: 'slow', delayMs: 800, match: { path: /\/changes$/ }, times: 1 });
			fast = scenario.trigger.poll();
		}
		const sequences: number[] = [];
		const outputs = await Promise.all(
			[slow, fast].map(async (pending) => {
				const output = await pending;
				sequences.push(scenario.sequence());
				return output;
			}),
		);
		const emitted = outputs.flatMap(scenario.keys);
		// the next regular poll, after both: whatever is left
		const after = await scenario.trigger.poll();
		emitted.push(...scenario.keys(after));
		for (const output of [...outputs, after]) sink.items('poll output', output?.[0]);

		expect(emitted.sort()).toEqual([`created A${created}`, 'updated A1'].sort());
		expect(new Set(emitted).size).toBe(emitted.length);
		// the cursor only moved forward, and ends at the current sequence
		expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
		expect(scenario.sequence()).toBe(scenario.seq());
		const duplicated = emitted.length - new Set(emitted).size;
		sink.row({ group: OVERLAP, case: order, tried: 2, passed: 2 - duplicated, lost: 2 - new Set(emitted).size, duplicated });
	});
});

describe('the default timeout fits the slowest legitimate answers', () => {
	it(`1 000-record pages and a 10 MB file with 200 ms latency answer well within ${DEFAULT_TIMEOUT_SECONDS} s`, async () => {
		const slowServer = await startNinoxServer({ seed: 'empty', token: TOKEN, latencyMs: 200 });
		try {
			const table = slowServer.store.addTable(DEMO.teamId, DEMO.dbId, {
				name: 'Big',
				fields: [
					{ name: 'Text', type: 'string' },
					{ name: 'N', type: 'number' },
				],
			});
			slowServer.store.insertRecords(
				DEMO.teamId,
				DEMO.dbId,
				table.id,
				Array.from({ length: 3000 }, (_, i) => ({ Text: `record ${i} `.repeat(20), N: i })),
			);
			const [recordId] = slowServer.store.insertRecords(DEMO.teamId, DEMO.dbId, table.id, [{ Text: 'with a file' }]);
			const location = { ...inDatabase, table: byId(table.id) };
			const credentials = localCredentials(slowServer);

			let started = Date.now();
			const read = sink.run(await runNode({ parameters: { resource: 'record', operation: 'getAll', ...location, returnAll: true }, credentials }));
			const readMs = Date.now() - started;
			const pages = slowServer.requests.filter((request) => request.query.perPage === '1000');
			expect(read.error).toBeUndefined();
			expect(read.items).toHaveLength(3001);

			const file = randomBytes(10 * 1024 * 1024);
			const upload = sink.run(
				await runNode({
					parameters: { resource: 'file', operation: 'upload', ...location, recordId: String(recordId), binaryPropertyName: 'data' },
					credentials,
					items: [{ json: {}, binary: { data: { data: file.toString('base64'), mimeType: 'application/octet-stream', fileName: 'ten.bin' } } }],
				}),
			);
			expect(upload.error).toBeUndefined();
			slowServer.clearLog();
			started = Date.now();
			const download = sink.run(
				await runNode({ parameters: { resource: 'file', operation: 'download', ...location, recordId: String(recordId), fileName: 'ten.bin' }, credentials }),
			);
			const downloadMs = Date.now() - started;
			expect(download.error).toBeUndefined();
			expect(Buffer.from(download.items[0].binary!.data.data, 'base64').equals(file)).toBe(true);

			const slowestPage = Math.max(...pages.map((request) => request.durationMs));
			console.log(
				`Timeout default ${DEFAULT_TIMEOUT_SECONDS} s against the local server with 200 ms latency: ` +
					`${pages.length} pages of 1 000 records in ${readMs} ms (slowest page ${slowestPage.toFixed(0)} ms on the server), ` +
					`a 10 MB download in ${downloadMs} ms.`,
			);
			sink.row({ group: 'silence: default timeout fits slow, large answers', case: 'pages and 10 MB', tried: 2, passed: 2, lost: 0, duplicated: 0 });
		} finally {
			await slowServer.close();
		}
	});
});

describe('a timeout the user chose', () => {
	it('the Timeout option of both nodes shows the default the transport uses when it is not set', async () => {
		const { Ninox } = await import('../../nodes/Ninox/Ninox.node');
		const { NinoxTrigger } = await import('../../nodes/NinoxTrigger/NinoxTrigger.node');
		const actionOption = new Ninox().description.properties.find((property) => property.name === 'requestOptions');
		const triggerOption = new NinoxTrigger().description.properties.find((property) => property.name === 'options');
		for (const collection of [actionOption, triggerOption]) {
			const option = (collection?.options as IDataObject[] | undefined)?.find((entry) => entry.name === 'timeout');
			expect(option).toMatchObject({ displayName: 'Timeout', type: 'number', default: DEFAULT_TIMEOUT_SECONDS });
		}
	});
});

checkLeaksLast(sink, { errors: true, logs: true });
