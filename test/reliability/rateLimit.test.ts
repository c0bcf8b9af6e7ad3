/**
 * Rate limits. Ninox allows one call at a time per account: the server here answers 429 to any second concurrent
 * request. One execution must never trigger that; a 429 is retried after its real Retry-After (no mocked sleep in
 * this file); and a retry budget ends in a clear error instead of a hang.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { MAX_ATTEMPTS } from '../../nodes/Ninox/transport';
import { localCredentials, runNode, shutdownEngine, TriggerWorkflow } from '../harness/engine';
import type { NinoxServer } from '../server';
import { DEMO, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

const TOKEN = 'reliability-rate-token-77c3e1a9d4';
const sink = new LeakSink('rateLimit');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const inDatabase = { team: byId(DEMO.teamId), database: byId(DEMO.dbId) };
const inTable = (tableId: string) => ({ ...inDatabase, table: byId(tableId) });
const autoMap = { fieldsInput: 'mapping', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] } };

const RETRY = 'rate limit: Retry-After honoured, budget ends clearly';

let server: NinoxServer;
let manyTableId: string;

beforeAll(async () => {
	sink.addSecret(TOKEN);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'demo', token: TOKEN, maxConcurrent: 1, latencyMs: 2 });
	manyTableId = server.store.addTable(DEMO.teamId, DEMO.dbId, {
		name: 'Many',
		fields: [
			{ name: 'Key', type: 'string' },
			{ name: 'N', type: 'number' },
		],
	}).id;
	server.store.insertRecords(
		DEMO.teamId,
		DEMO.dbId,
		manyTableId,
		Array.from({ length: 2500 }, (_, i) => ({ Key: `m${i + 1}`, N: i + 1 })),
	);
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
	server.setLatency(2);
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, items?: INodeExecutionData[], continueOnFail = false) {
	return sink.run(await runNode({ parameters, credentials: localCredentials(server), items, continueOnFail }));
}

const items = (n: number, json: (i: number) => IDataObject) => Array.from({ length: n }, (_, i) => ({ json: json(i) }));
const statuses = () => server.requests.map((request) => request.status);

describe('one execution sends one request at a time', () => {
	it('a run of many operations never meets the one-call limit: peak concurrency 1, no 429', async () => {
		const runs: Array<[string, Awaited<ReturnType<typeof run>>]> = [];
		const step = async (label: string, parameters: INodeParameters, input?: INodeExecutionData[]) => {
			const result = await run(parameters, input);
			runs.push([label, result]);
			expect({ label, error: result.error?.message }).toEqual({ label, error: undefined });
			return result;
		};

		await step('record getAll (3 pages, 2 items)', { resource: 'record', operation: 'getAll', ...inTable(manyTableId), returnAll: true }, items(2, () => ({})));
		const created = await step(
			'record create (3 batches)',
			{ resource: 'record', operation: 'create', ...inTable(manyTableId), ...autoMap, options: { batchSize: 2 } },
			items(5, (i) => ({ Key: `new${i}`, N: -i })),
		);
		await step(
			'record update (2 batches)',
			{ resource: 'record', operation: 'update', ...inTable(manyTableId), recordId: '={{ $json.id }}', ...autoMap, options: { batchSize: 3 } },
			created.items.map((item) => ({ json: { id: item.json.id, N: 1000 } })),
		);
		await step(
			'record upsert by field (per-value lookups)',
			{ resource: 'record', operation: 'upsert', upsertBy: 'field', matchField: 'Key', ...inTable(manyTableId), ...autoMap },
			items(4, (i) => ({ Key: i < 2 ? `m${i + 1}` : `fresh${i}`, N: 7 })),
		);
		await step(
			'record find (all matches, 3 items)',
			{
				resource: 'record',
				operation: 'find',
				...inTable(DEMO.contactTableId),
				findMode: 'all',
				returnAll: true,
				filters: { conditions: [{ field: 'Kind', value: 'Company' }] },
			},
			items(3, () => ({})),
		);
		await step(
			'script query with full records',
			{ resource: 'script', operation: 'query', ...inDatabase, script: 'select Contact where Score > 90', options: { fullRecords: true, splitIntoItems: true } },
		);
		await step('script execute', { resource: 'script', operation: 'execute', ...inDatabase, script: "(select Many where Key = \"m3\").N := 3", options: {} });
		await step(
			'file upload (3 items)',
			{ resource: 'file', operation: 'upload', ...inTable(manyTableId), recordId: '1', binaryPropertyName: 'data', options: {} },
			items(3, () => ({})).map((item, i) => ({
				...item,
				binary: { data: { data: Buffer.from(`file ${i}`).toString('base64'), mimeType: 'text/plain', fileName: `f${i}.txt` } },
			})),
		);
		await step('file get many', { resource: 'file', operation: 'getAll', ...inTable(manyTableId), recordId: '1', returnAll: true });
		await step('table changes', { resource: 'change', operation: 'getTableChanges', ...inTable(manyTableId), sinceSequence: 0, output: 'readable' });
		await step(
			'record delete many (2 batches)',
			{ resource: 'record', operation: 'deleteMany', ...inTable(manyTableId), recordId: '={{ $json.id }}', options: { batchSize: 3 } },
			created.items.map((item) => ({ json: { id: item.json.id } })),
		);
		const trigger = new TriggerWorkflow({ ...inDatabase, scope: 'database', events: ['created', 'updated', 'deleted'] }, localCredentials(server));
		await trigger.poll();
		server.store.insertRecords(DEMO.teamId, DEMO.dbId, manyTableId, [{ Key: 'polled' }]);
		const polled = await trigger.poll();
		sink.items('trigger item', polled?.[0]);
		expect(polled?.[0].map((item) => item.json.event)).toEqual(['created']);

		const requestCount = server.requests.length;
		console.log(`one-call limit: ${runs.length} runs and 2 polls sent ${requestCount} requests; peak concurrency ${server.peakConcurrency}`);
		expect(requestCount).toBeGreaterThan(30);
		expect(statuses()).not.toContain(429);
		expect(server.peakConcurrency).toBe(1);
		sink.row({ group: 'rate limit: one request at a time, no 429', case: `one request at a time: ${runs.length} runs, 2 polls`, tried: runs.length + 2, passed: runs.length + 2, lost: 0, duplicated: 0 });
	});
});

describe('429 and Retry-After', () => {
	it('waits the Retry-After of 1 s the server asked for, then succeeds', async () => {
		server.faults.add({ kind: '429', retryAfterSeconds: 1, times: 1 });
		const started = Date.now();
		const { items: output, error } = await run({ resource: 'record', operation: 'get', ...inTable(DEMO.contactTableId), recordId: '5' });
		const elapsed = Date.now() - started;
		expect(error).toBeUndefined();
		expect(output[0].json.id).toBe(5);
		expect(statuses()).toEqual([429, 200]);
		expect(elapsed).toBeGreaterThanOrEqual(1000);
		expect(elapsed).toBeLessThan(5000);
		sink.row({ group: RETRY, case: '429 with Retry-After 1 s: waited, then ok', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('two executions at once: the one refused with 429 waits its Retry-After and both complete', async () => {
		server.setLatency(150);
		const parameters = { resource: 'record', operation: 'getAll', ...inTable(manyTableId), returnAll: true };
		const started = Date.now();
		const [first, second] = await Promise.all([run(parameters), run(parameters)]);
		const elapsed = Date.now() - started;
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		const expected = server.store.getRecords(DEMO.teamId, DEMO.dbId, manyTableId).length;
		expect(first.items).toHaveLength(expected);
		expect(second.items).toHaveLength(expected);
		// Different executions do overlap, so the server refused some; each refusal cost its 1 s Retry-After.
		const refused = statuses().filter((status) => status === 429).length;
		expect(refused).toBeGreaterThan(0);
		expect(elapsed).toBeGreaterThanOrEqual(1000);
		sink.row({ group: RETRY, case: 'two executions at once: 429, waited, both ok', tried: 2, passed: 2, lost: 0, duplicated: 0 });
	});

	it('a run of 429s ends after the retry budget in a clear rate-limit error, item by item with Continue On Fail', async () => {
		server.faults.add({ kind: '429', retryAfterSeconds: 0, times: 1000 });
		const parameters = { resource: 'record', operation: 'get', ...inTable(DEMO.contactTableId), recordId: '={{ $json.id }}' };
		const started = Date.now();
		const { error } = await run(parameters, items(2, (i) => ({ id: i + 1 })));
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Ninox rate limit reached (429 Too Many Requests)');
		expect(error?.httpCode).toBe('429');
		expect(error?.description).toMatch(/Gave up after 6 attempts/);
		expect(error?.description).toMatch(/lower the poll rate, or send fewer, larger batches/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(server.requests).toHaveLength(MAX_ATTEMPTS);

		server.clearLog();
		const { items: output } = await run(parameters, items(2, (i) => ({ id: i + 1 })), true);
		expect(output).toEqual([0, 1].map((item) => ({
			json: expect.objectContaining({ error: 'Ninox rate limit reached (429 Too Many Requests)', httpCode: '429' }),
			pairedItem: { item },
		})));
		expect(server.requests).toHaveLength(2 * MAX_ATTEMPTS);
		sink.row({ group: RETRY, case: '429 retry budget: clear error, no hang', tried: 2, passed: 2, lost: 0, duplicated: 0 });
	});

	it('a Retry-After of an hour ends at once with the rate-limit error instead of stalling the workflow', async () => {
		server.faults.add({ kind: '429', retryAfterSeconds: 3600, times: 1 });
		const started = Date.now();
		const { error } = await run({ resource: 'team', operation: 'getAll' });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(error?.httpCode).toBe('429');
		expect(error?.description).toMatch(/lower the poll rate/);
		expect(server.requests).toHaveLength(1);
		sink.row({ group: RETRY, case: 'Retry-After of an hour: fails at once', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('a poll that keeps meeting 429 fails with the rate-limit error and keeps its cursor', async () => {
		const trigger = new TriggerWorkflow({ ...inDatabase, scope: 'database', events: ['created'] }, localCredentials(server));
		await trigger.poll();
		const cursor = trigger.staticDataJson();
		server.faults.add({ kind: '429', retryAfterSeconds: 0, times: 1000 });
		let failure: unknown;
		try {
			await trigger.poll();
		} catch (error) {
			failure = error;
		}
		sink.error(failure);
		expect(failure).toMatchObject({ httpCode: '429', message: 'Ninox rate limit reached (429 Too Many Requests)' });
		expect((failure as { description?: string }).description).toMatch(/lower the poll rate/);
		expect(trigger.staticDataJson()).toEqual(cursor);
		sink.row({ group: RETRY, case: 'trigger poll meeting 429: error, cursor kept', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

checkLeaksLast(sink);
