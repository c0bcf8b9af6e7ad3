import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import { TRANSPORT_PROBE_NODE } from './harness/transportProbe';
import type { NinoxServer } from './server';
import { startNinoxServer } from './server';
import { MAX_ATTEMPTS, parseRetryAfter } from '../nodes/Ninox/transport';

let server: NinoxServer;
let teamId: string;
let dbId: string;

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'empty' });
	teamId = [...server.store.teams.keys()][0];
	const db = server.store.addDatabase(teamId, { name: 'Transport' });
	dbId = db.id;
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

/** Sends one request (or all pages of one) through the transport inside the real engine. */
async function probe(request: object, options: { allPages?: boolean; limit?: number; continueOnFail?: boolean } = {}) {
	return await runNode({
		nodeType: TRANSPORT_PROBE_NODE,
		parameters: { request: JSON.stringify(request), allPages: options.allPages ?? false, limit: options.limit ?? 0 },
		credentials: localCredentials(server),
		continueOnFail: options.continueOnFail,
	});
}

function addTable(name: string, rows: number) {
	const table = server.store.addTable(teamId, dbId, { name, fields: [{ name: 'N', type: 'number' }] });
	server.store.insertRecords(
		teamId,
		dbId,
		table.id,
		Array.from({ length: rows }, (_, i) => ({ N: i + 1 })),
	);
	return table.id;
}

describe('encoding', () => {
	it('encodes / ? # % .. & and unicode in ids so they cannot reach another endpoint', async () => {
		const evil = 'x/../../teams?a=1&b=2#frag%2F ü';
		const { error } = await runNode({
			parameters: { resource: 'team', operation: 'get', team: { __rl: true, mode: 'id', value: evil } },
			credentials: localCredentials(server),
		});
		expect(error?.message).toBe(`Team ${evil} not found (404)`);
		expect(server.requests).toHaveLength(1);
		const [logged] = server.requests;
		expect(logged.rawPath).toBe('/v1/teams/x%2F..%2F..%2Fteams%3Fa%3D1%26b%3D2%23frag%252F%20%C3%BC');
		expect(logged.segments).toEqual(['teams', evil]);
		expect(logged.query).toEqual({});
	});

	it('encodes query values (Ninox scripts hold quotes, spaces, & and unicode)', async () => {
		const query = `(select Contact where Name = "A & B ü 'x'").Name`;
		await probe({ method: 'GET', path: ['teams', teamId, 'databases', dbId, 'query'], query: { query } });
		expect(server.requests[0].query).toEqual({ query });
	});
});

describe('retries', () => {
	it('retries a 429 after the Retry-After the server asked for', async () => {
		server.faults.add({ kind: '429', retryAfterSeconds: 1, times: 2 });
		const started = Date.now();
		const { items, error } = await probe({ method: 'GET', path: ['teams'] });
		expect(error).toBeUndefined();
		expect(Array.isArray(items[0].json.body)).toBe(true);
		expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});

	it('ends a run of 429s with a clear rate-limit error after the retry budget', async () => {
		server.faults.add({ kind: '429', retryAfterSeconds: 0, times: 100 });
		const { error } = await probe({ method: 'GET', path: ['teams'] });
		expect(error?.message).toBe('Ninox rate limit reached (429 Too Many Requests)');
		expect(error?.httpCode).toBe('429');
		expect(error?.description).toMatch(/lower the poll rate/);
		expect(server.requests).toHaveLength(MAX_ATTEMPTS);
	});

	it.each(['502', '503', '504', 'reset-before', 'reset-after', 'truncated', 'empty', 'html'] as const)(
		'retries a read after %s',
		async (kind) => {
			server.faults.add({ kind, times: 1 });
			const { items, error } = await probe({ method: 'GET', path: ['teams'] });
			expect(error).toBeUndefined();
			expect(Array.isArray(items[0].json.body)).toBe(true);
			expect(server.requests).toHaveLength(2);
		},
	);

	it.each(['502', '503', '504'] as const)('does not repeat a create after %s: one request, a clear error', async (kind) => {
		const tableId = addTable(`Create after ${kind}`, 0);
		server.clearLog();
		server.faults.add({ kind, times: 1 });
		const { error } = await probe({
			method: 'POST',
			path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records'],
			body: [{ fields: { N: 1 } }],
		});
		expect(error?.httpCode).toBe(kind);
		expect(server.requests).toHaveLength(1);
		// A gateway's 502/504 may come after Ninox applied the create; a 503 means it was not taken.
		if (kind === '503') expect(error?.description).not.toMatch(/may or may not have applied/);
		else expect(error?.description).toMatch(/may or may not have applied this request/);
	});

	it.each(['reset-after', 'truncated', 'empty'] as const)(
		'a create whose answer was lost (%s) is reported in doubt, never sent twice',
		async (kind) => {
			const tableId = addTable(`Create ${kind}`, 0);
			server.clearLog();
			server.faults.add({ kind, times: 1 });
			const { error } = await probe({
				method: 'POST',
				path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records'],
				body: [{ fields: { N: 1 } }],
			});
			expect(error?.description).toMatch(/not sent again, so that nothing is written twice/);
			expect(server.requests).toHaveLength(1);
			// The server did apply it: exactly one record, not two.
			expect(server.store.getRecords(teamId, dbId, tableId)).toHaveLength(1);
		},
	);

	it('a create is repeated after a 429 (Ninox did not apply it)', async () => {
		const tableId = addTable('Create after 429', 0);
		server.clearLog();
		server.faults.add({ kind: '429', retryAfterSeconds: 0, times: 1 });
		const { error } = await probe({
			method: 'POST',
			path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records'],
			body: [{ fields: { N: 1 } }],
		});
		expect(error).toBeUndefined();
		expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
		expect(server.store.getRecords(teamId, dbId, tableId)).toHaveLength(1);
	});

	it('an id-keyed write marked repeatable is retried after a reset', async () => {
		const tableId = addTable('Update after reset', 1);
		server.clearLog();
		server.faults.add({ kind: 'reset-after', times: 1 });
		const { error } = await probe({
			method: 'POST',
			path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records'],
			body: [{ id: 1, fields: { N: 42 } }],
			repeatable: true,
		});
		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(2);
		expect(server.store.getRecord(teamId, dbId, tableId, 1)?.fields).toEqual({ N: 42 });
	});

	it('a delete whose answer was lost is done when the retry finds nothing (404)', async () => {
		const tableId = addTable('Delete after reset', 1);
		server.clearLog();
		server.faults.add({ kind: 'reset-after', times: 1 });
		const { items, error } = await probe({
			method: 'DELETE',
			path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records', 1],
		});
		expect(error).toBeUndefined();
		expect(items[0].json.body).toEqual({});
		expect(server.requests.map((r) => r.status)).toEqual([0, 404]);
	});

	it('a delete of a record that was never there is still a 404', async () => {
		const tableId = addTable('Delete missing', 0);
		const { error } = await probe({
			method: 'DELETE',
			path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records', 7],
		});
		expect(error?.httpCode).toBe('404');
	});

	it('maps a 500 on a write to one line naming the fields sent', async () => {
		const tableId = addTable('Bad field', 0);
		const { error } = await probe({
			method: 'POST',
			path: ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records'],
			body: [{ fields: { N: 1, 'No such field': 1 } }, { id: 1, fields: { N: 2 } }],
			itemIndex: 0,
		});
		expect(error?.httpCode).toBe('500');
		expect(error?.message).toBe('Ninox could not apply the POST (500): Internal Server Error');
		expect(error?.description).toBe(
			'Ninox gives no reason: check that each field sent (N, No such field) exists, is not a formula, and takes its value.',
		);
	});

	it('Retry-After accepts seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
		expect(parseRetryAfter(inTwoSeconds)).toBeGreaterThan(500);
	});

	it('sends one request at a time (a server allowing one concurrent call never refuses one)', async () => {
		const strict = await startNinoxServer({ seed: 'demo', maxConcurrent: 1, latencyMs: 5 });
		try {
			const team = [...strict.store.teams.keys()][0];
			const { items, error } = await runNode({
				parameters: { resource: 'team', operation: 'get', team: { __rl: true, mode: 'id', value: team } },
				credentials: localCredentials(strict),
				items: Array.from({ length: 20 }, () => ({ json: {} })),
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(20);
			expect(strict.peakConcurrency).toBe(1);
			expect(strict.requests.every((r) => r.status === 200)).toBe(true);
		} finally {
			await strict.close();
		}
	});
});

describe('404: what was not found, in words', () => {
	const db = () => ['teams', teamId, 'databases', dbId];
	it.each([
		['a team', () => ['teams', 'NoTeam'], 'Team NoTeam not found (404)'],
		['a database', () => ['teams', teamId, 'databases', 'nodb'], () => `Database nodb not found in team ${teamId} (404)`],
		['a table', () => [...db(), 'tables', 'ZZ'], () => `Table ZZ not found in database ${dbId} of team ${teamId} (404)`],
		['a table of a list', () => [...db(), 'tables', 'ZZ', 'records'], () => `Table ZZ not found in database ${dbId} of team ${teamId} (404)`],
		['a record', () => [...db(), 'tables', 'A', 'records', 99], () => `Record 99 not found in table A of database ${dbId} (404)`],
		['a database feed', () => [...db().slice(0, 3), 'nodb', 'changes'], () => `Database nodb not found in team ${teamId} (404)`],
	])('names %s', async (_what, path, expected) => {
		if (!server.store.teams.get(teamId)!.databases.get(dbId)!.tables.has('A')) addTable('For 404s', 1);
		const { error } = await probe({ method: 'GET', path: path() });
		expect(error?.httpCode).toBe('404');
		expect(error?.message).toBe(typeof expected === 'function' ? expected() : expected);
	});

	it('names a missing file by its name, on its record', async () => {
		if (!server.store.teams.get(teamId)!.databases.get(dbId)!.tables.has('A')) addTable('For 404s', 1);
		const { error } = await probe({ method: 'GET', path: [...db(), 'tables', 'A', 'records', 1, 'files', 'gone.pdf'], binary: true });
		expect(error?.message).toBe('File "gone.pdf" not found on record 1 of table A (404)');
	});
});

describe('pagination', () => {
	let bigTable: string;
	let smallTable: string;
	beforeAll(() => {
		bigTable = addTable('Fifty thousand and one', 50_001);
		smallTable = addTable('One hundred and fifty', 150);
	});
	const recordsPath = (tableId: string) => ['teams', teamId, 'databases', dbId, 'tables', tableId, 'records'];

	it('reads past Ninox default page of 100', async () => {
		const { items } = await probe({ path: recordsPath(smallTable) }, { allPages: true });
		expect(items).toHaveLength(150);
		expect(server.requests.map((r) => r.query)).toEqual([{ page: '0', perPage: '1000' }]);
	});

	it('reads past 50 000 records: every record, in ⌈n / 1000⌉ requests, no cap', async () => {
		const { items } = await probe({ path: recordsPath(bigTable) }, { allPages: true });
		expect(items).toHaveLength(50_001);
		expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: 50_001 }, (_, i) => i + 1));
		expect(server.requests).toHaveLength(51);
	});

	it.each([
		[7, 1],
		[1000, 1],
		[2500, 3],
	])('limit %i returns exactly that many in %i request(s)', async (limit, requests) => {
		const { items } = await probe({ path: recordsPath(bigTable) }, { allPages: true, limit });
		expect(items).toHaveLength(limit);
		expect(server.requests).toHaveLength(requests);
	});

	it('an empty table is one request and no items', async () => {
		const empty = addTable('Empty', 0);
		server.clearLog();
		const { items } = await probe({ path: recordsPath(empty) }, { allPages: true });
		expect(items).toHaveLength(0);
		expect(server.requests).toHaveLength(1);
	});
});
