/**
 * Faults under load: thousands of records written through the engine while the server injects 10 % faults.
 * Upserts by id (repeatable) must end in exactly the expected table; creates without ids (not repeatable) must
 * never be sent twice blindly, and every item whose write may or may not have happened must be reported.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from '../harness/engine';
import type { LoggedRequest, NinoxServer } from '../server';
import { DEMO, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

// The transport's backoff waits with n8n-workflow's `sleep`. Here it returns at once and records what it was asked
// to wait, so hundreds of retries take milliseconds (test/reliability/rateLimit.test.ts honours a real Retry-After).
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

const FAULT_KINDS = ['429', '502', '503', '504', 'reset-before', 'reset-after'] as const;
const TOKEN = 'reliability-load-token-5b1f0c2e9a';
const sink = new LeakSink('load');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const autoMap = { fieldsInput: 'mapping', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] } };

let server: NinoxServer;

beforeAll(async () => {
	sink.addSecret(TOKEN);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'empty', token: TOKEN });
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

function addTable(name: string) {
	return server.store.addTable(DEMO.teamId, DEMO.dbId, {
		name,
		fields: [
			{ name: 'Key', type: 'string' },
			{ name: 'N', type: 'number' },
			{ name: 'Label', type: 'string' },
		],
	}).id;
}

async function runRecords(tableId: string, parameters: INodeParameters, items: INodeExecutionData[], continueOnFail = false) {
	return sink.run(
		await runNode({
			parameters: {
				resource: 'record',
				team: byId(DEMO.teamId),
				database: byId(DEMO.dbId),
				table: byId(tableId),
				...autoMap,
				...parameters,
			},
			credentials: localCredentials(server),
			items,
			continueOnFail,
		}),
	);
}

function tableRows(tableId: string) {
	return server.store.getRecords(DEMO.teamId, DEMO.dbId, tableId);
}

/** How often each Key is in the table. */
function keyCounts(tableId: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const record of tableRows(tableId)) {
		const key = String(record.fields.Key);
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

function faultTally(requests: LoggedRequest[]): Record<string, number> {
	const tally: Record<string, number> = {};
	for (const { fault } of requests) if (fault) tally[fault] = (tally[fault] ?? 0) + 1;
	return tally;
}

function print(title: string, counts: IDataObject) {
	console.log(`${title}\n${Object.entries(counts).map(([key, value]) => `  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join('\n')}`);
}

describe('faults under load', () => {
	it('10 000 upserts by id with 10 % faults: the table is exactly the expected one', async () => {
		const tableId = addTable('Upsert load');
		// 4 000 records exist with old values: the upsert updates those and creates 6 000 with the given ids.
		server.store.insertRecords(
			DEMO.teamId,
			DEMO.dbId,
			tableId,
			Array.from({ length: 4000 }, (_, i) => ({ Key: `k${i + 1}`, N: -1, Label: 'old' })),
		);
		const total = 10_000;
		const items = Array.from({ length: total }, (_, i) => ({
			json: { id: i + 1, Key: `k${i + 1}`, N: i + 1, Label: `new ${i + 1} – ü` },
		}));
		server.clearLog();
		requestedSleeps.length = 0;
		server.faults.random({ rate: 0.1, kinds: [...FAULT_KINDS], seed: 2, retryAfterSeconds: 0 });

		const started = Date.now();
		const { items: output, error } = await runRecords(
			tableId,
			{ operation: 'upsert', upsertBy: 'id', recordId: '={{ $json.id }}', options: { batchSize: 50, output: 'raw' } },
			items,
		);
		const elapsedMs = Date.now() - started;
		expect(error).toBeUndefined();

		// Every input item has its record in the output, paired to it.
		expect(output).toHaveLength(total);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ id: index + 1, fields: { Key: `k${index + 1}`, N: index + 1 } });
		});

		// The table: ids 1…10 000, each with the new values; nothing lost, nothing twice.
		const rows = tableRows(tableId);
		const byRecordId = new Map(rows.map((record) => [record.id, record]));
		let lost = 0;
		for (const { json } of items) {
			const record = byRecordId.get(json.id);
			if (!record || record.fields.Key !== json.Key || record.fields.N !== json.N || record.fields.Label !== json.Label) lost++;
		}
		const duplicated = [...keyCounts(tableId).values()].reduce((sum, count) => sum + count - 1, 0) + Math.max(0, rows.length - total);
		const faults = faultTally(server.requests);
		const posts = server.requests.filter((request) => request.method === 'POST');
		print('10 000 upserts by id, 10 % faults', {
			records: rows.length,
			lost,
			duplicated,
			requests: server.requests.length,
			writeRequests: posts.length,
			faultsInjected: server.faults.injected,
			faults,
			retriesWaited: requestedSleeps.length,
			elapsedMs,
		});
		expect(rows).toHaveLength(total);
		expect(lost).toBe(0);
		expect(duplicated).toBe(0);
		// The faults really happened, and every kind of them was retried (200 batches + retries, one schema read).
		expect(server.faults.injected).toBeGreaterThanOrEqual(10);
		expect(Object.keys(faults).sort()).toEqual([...FAULT_KINDS].sort());
		expect(posts.filter((request) => request.status === 200)).toHaveLength(total / 50);
		expect(requestedSleeps.length).toBe(server.faults.injected);
		sink.row({ case: 'faults under load: 10 000 upserts by id', tried: total, passed: total - lost, lost, duplicated });
	});

	it('2 000 creates without ids with 10 % faults: never repeated blindly, every item in doubt reported', async () => {
		const tableId = addTable('Create load');
		const total = 2000;
		const items = Array.from({ length: total }, (_, i) => ({ json: { Key: `c${i}`, N: i, Label: `create ${i} – ß` } }));
		server.clearLog();
		server.faults.random({ rate: 0.1, kinds: [...FAULT_KINDS], seed: 1, retryAfterSeconds: 0 });

		const { items: output, error } = await runRecords(
			tableId,
			{ operation: 'create', options: { batchSize: 10, output: 'raw' } },
			items,
			true,
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(total);

		const counts = keyCounts(tableId);
		const created: number[] = [];
		const inDoubt: number[] = [];
		const failed: number[] = [];
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			if (typeof item.json.error === 'string') {
				(item.json.inDoubt === true ? inDoubt : failed).push(index);
			} else {
				expect(item.json).toMatchObject({ fields: { Key: `c${index}`, N: index } });
				created.push(index);
			}
		});
		const applied = (index: number) => counts.get(`c${index}`) ?? 0;

		// No input value is in the table twice.
		const duplicated = [...counts.values()].reduce((sum, count) => sum + count - 1, 0);
		// A created item is in the table, under the id its output names.
		const lost = created.filter((index) => applied(index) !== 1).length;
		for (const index of created) {
			const record = server.store.getRecord(DEMO.teamId, DEMO.dbId, tableId, output[index].json.id as number);
			expect(record?.fields.Key).toBe(`c${index}`);
		}
		// A definite failure (the server answered that it did not apply it) is not in the table.
		const unreported = failed.filter((index) => applied(index) !== 0).length;
		// Every item whose create may have happened says so, and tells the user to check before running again.
		for (const index of inDoubt) {
			expect(output[index].json.description).toMatch(/not sent again, so that nothing is written twice/);
		}
		// Records in the table + items in doubt + definite failures account for every input.
		const inDoubtApplied = inDoubt.filter((index) => applied(index) === 1).length;
		expect(created.length + inDoubt.length + failed.length).toBe(total);
		expect(counts.size).toBe(created.length + inDoubtApplied);

		// Nothing that reached the server was sent again: only a 429 (never applied) may be followed by a resend.
		const sentAfterNon429 = new Map<string, number>();
		for (const request of server.requests) {
			if (request.method !== 'POST' || !Array.isArray(request.body) || request.status === 429) continue;
			for (const entry of request.body as Array<{ fields: { Key: string } }>) {
				sentAfterNon429.set(entry.fields.Key, (sentAfterNon429.get(entry.fields.Key) ?? 0) + 1);
			}
		}
		// A connection reset before the body was read leaves no keys in the log, so the requests are counted too:
		// one per batch, plus one resend per 429.
		const posts = server.requests.filter((request) => request.method === 'POST');
		const answered429 = posts.filter((request) => request.status === 429).length;
		const blindRepeats =
			[...sentAfterNon429.values()].filter((count) => count > 1).length + (posts.length - answered429 - total / 10);
		const resetBefore = server.requests.filter((request) => request.fault === 'reset-before').length;

		print('2 000 creates without ids, 10 % faults, Continue On Fail', {
			records: counts.size,
			created: created.length,
			inDoubt: inDoubt.length,
			inDoubtApplied,
			inDoubtNotApplied: inDoubt.length - inDoubtApplied,
			failedNotApplied: failed.length,
			lost,
			duplicated,
			unreported,
			blindRepeats,
			resetBeforeUnread: resetBefore,
			faults: faultTally(server.requests),
		});
		expect(duplicated).toBe(0);
		expect(lost).toBe(0);
		expect(unreported).toBe(0);
		expect(blindRepeats).toBe(0);
		// Precisely the items of batches whose outcome the client cannot know are in doubt (a lost answer, or a
		// gateway's 502/504, which may come after Ninox applied the write); those refused with 503 are failed.
		const batchesWith = (kinds: string[]) => posts.filter((request) => kinds.includes(request.fault ?? '')).length;
		expect(inDoubt.length).toBe(10 * batchesWith(['reset-before', 'reset-after', '502', '504']));
		expect(failed.length).toBe(10 * batchesWith(['503']));
		// The seed gives faults of the kinds that leave a create in doubt, so the accounting above is exercised.
		expect(inDoubt.length).toBeGreaterThan(0);
		expect(inDoubtApplied).toBeGreaterThan(0);
		sink.row({
			case: 'faults under load: 2 000 creates, no ids',
			tried: total,
			passed: created.length + inDoubt.length + failed.length - lost - unreported,
			lost,
			duplicated,
		});
	});
});

checkLeaksLast(sink);
