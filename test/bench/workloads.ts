/**
 * The benchmark's workloads. Each one sets up a server state and runs the same job three ways:
 * - ours: the Ninox node (or trigger) inside n8n-core's engine;
 * - bound: a bare undici client that knows the schema and sends only the requests the API needs;
 * - floor: the bound's requests from a bare node inside n8n-core's engine, through n8n's HTTP helper;
 * - perItem: one request per record through n8n's HTTP helper, as a workflow without our node does it.
 * Contenders see only the server's address and token (so the memory measurement can run them in another
 * process); `verify` then checks on the server that the run really did the job.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { multipartBody } from '../../nodes/Ninox/actions/file/upload.operation';
import { chunk, databasePath, encodePath, MAX_PAGE_SIZE, recordPath, tablePath } from '../../nodes/Ninox/transport';
import { localCredentials, runNode, TriggerWorkflow } from '../harness/engine';
import type { FieldSpec, NinoxServer } from '../server';
import { DEMO } from '../server';
import { prng } from '../server/faults';
import type { ApiClient } from './boundClient';
import { BoundClient } from './boundClient';
import { runFloor } from './floorNode';
import { NINOX_DEFAULT_PAGE, PER_ITEM_NODE, perItemHttpNode } from './perItemNode';
import { ninox4Workloads } from './workloads4';

export type Contender = 'ours' | 'floor' | 'bound' | 'perItem';
export const CONTENDERS: Contender[] = ['ours', 'floor', 'bound', 'perItem'];

/** All a contender gets: where the server is and the token. */
export interface Connection {
	url: string;
	/** The classic token, or the Ninox 4 API key. */
	token: string;
	/** Ninox 4 only. */
	workspaceId?: string;
}

const TEAM = DEMO.teamId;
const DB = DEMO.dbId;

export interface Sizes {
	create: number;
	upsertById: number;
	upsertByField: number;
	/** Records already in the table the match-field upsert searches (more than one page). */
	upsertByFieldTable: number;
	update: number;
	delete: number;
	list: number;
	/** Records per table of the trigger's three tables. */
	triggerTable: number;
	triggerChanges: number;
	/** Records of the Ninox 4 trigger's table (one table: Ninox 4's feed is per table). */
	ninox4TriggerTable: number;
	files: number;
	fileBytes: number;
	/** Per-item runs one request per record: measured on these many records, extrapolated to the full size. */
	perItem: { writes: number; upsertByField: number; list: number; files: number };
}

export const FULL_SIZES: Sizes = {
	create: 10_000,
	upsertById: 10_000,
	upsertByField: 2_000,
	upsertByFieldTable: 5_000,
	update: 10_000,
	delete: 10_000,
	list: 100_000,
	triggerTable: 1_000,
	triggerChanges: 1_000,
	ninox4TriggerTable: 10_000,
	files: 200,
	fileBytes: 100 * 1024,
	perItem: { writes: 200, upsertByField: 100, list: 5_000, files: 50 },
};

/** 1/20 of the full sizes; the match-field table stays above one page so its paging is still exercised. */
export const QUICK_SIZES: Sizes = {
	create: 500,
	upsertById: 500,
	upsertByField: 100,
	upsertByFieldTable: 1_500,
	update: 500,
	delete: 500,
	list: 5_000,
	triggerTable: 100,
	triggerChanges: 50,
	ninox4TriggerTable: 500,
	files: 10,
	fileBytes: 100 * 1024,
	perItem: { writes: 25, upsertByField: 10, list: 1_000, files: 5 },
};

export interface Workload<S = unknown, Server = NinoxServer> {
	id: string;
	/** The API the workload runs against: the classic one (default) or Ninox 4 (the local Ninox 4 server). */
	api?: 'ninox4';
	/** At most this many runs per contender (a long workload in the full run). */
	maxRepetitions?: number;
	title: string;
	/** Records (or files) the workload handles; per-item handles `perItemSize` and is extrapolated linearly. */
	size: number;
	perItemSize: number;
	/** Batched workloads carry the timing goal ours ≤ 1.15 × bound. */
	batched: boolean;
	/** Schema reads ours sends beyond the bound by design (field checks, names ⇄ ids; see BENCHMARKS.md). */
	schemaReads?: number;
	/** A fixed request count for ours (the idle poll: 1). */
	oursRequestGoal?: number;
	/**
	 * Per-item's request count for n records: checked against the measured sample, then used to extrapolate.
	 * Needed only when per-item runs on a sample smaller than the workload.
	 */
	perItemRequests?: (n: number) => number;
	/** The runs only read: one setup serves every run. */
	readOnly?: boolean;
	setup(server: Server, connection: Connection): Promise<S>;
	run: Record<Contender, (connection: Connection, scenario: S, n: number) => Promise<unknown[]>>;
	/** What each contender does, for BENCHMARKS.md (the floor sends the bound's requests). */
	describe: Record<Exclude<Contender, 'floor'>, string>;
	/** Throws unless the run did the job (on the server and in its output). */
	verify(server: Server, scenario: S, contender: Contender, n: number, output: unknown[]): void;
}

// ─── shared pieces ─────────────────────────────────────────────────────────

const locator = (value: string) => ({ __rl: true, mode: 'id', value });

const STATUSES = ['New', 'Active', 'Gone'];

const BENCH_FIELDS: FieldSpec[] = [
	{ name: 'Name', type: 'string' },
	{ name: 'Email', type: 'email' },
	{ name: 'Score', type: 'number' },
	{ name: 'Joined', type: 'date' },
	{ name: 'Active', type: 'boolean' },
	{ name: 'Status', type: 'choice', choices: STATUSES },
];

/** Record `i`'s fields by name; `version` > 0 gives the values an update or upsert writes. */
function row(i: number, version = 0): IDataObject {
	return {
		Name: version ? `Person ${i} v${version}` : `Person ${i}`,
		Email: `person${i}@example.com`,
		Score: (i * 7 + version) % 1000,
		Joined: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
		Active: (i + version) % 2 === 0,
		Status: STATUSES[(i + version) % 3],
	};
}

/** The fields an update changes. */
function changedFields(i: number): IDataObject {
	const { Name, Score, Status } = row(i, 1);
	return { Name, Score, Status };
}

interface BenchTable {
	tableId: string;
	/** Field name → id: what a client needs for upserts, filters and the change feed. */
	fieldIds: Record<string, string>;
}

/** A table of `records` records, written straight into the store (no requests). */
function addBenchTable(server: NinoxServer, name: string, records: number): BenchTable {
	const table = server.store.addTable(TEAM, DB, { name, fields: BENCH_FIELDS });
	server.store.insertRecords(TEAM, DB, table.id, range(records).map((i) => row(i)));
	return { tableId: table.id, fieldIds: Object.fromEntries(table.fields.map((field) => [field.name, field.id])) };
}

function recordsPath(tableId: string): string[] {
	return [...tablePath(TEAM, DB, tableId), 'records'];
}

/** The URL a user types into an HTTP Request node. */
function apiUrl(connection: Connection, path: Array<string | number>): string {
	return `${connection.url}/v1${encodePath(path)}`;
}

function tableParameters(tableId: string): INodeParameters {
	return { team: locator(TEAM), database: locator(DB), table: locator(tableId) };
}

const AUTO_MAP: INodeParameters = {
	fieldsInput: 'mapping',
	columns: { mappingMode: 'autoMapInputData', value: null },
};

async function runOurs(
	connection: Connection,
	parameters: INodeParameters,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const run = await runNode({ parameters, credentials: localCredentials(connection), items });
	if (run.error) throw run.error;
	return run.items;
}

async function runPerItem(
	connection: Connection,
	parameters: INodeParameters,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const run = await runNode({
		nodeType: PER_ITEM_NODE,
		extraNodeTypes: { [PER_ITEM_NODE]: perItemHttpNode },
		parameters,
		credentials: localCredentials(connection),
		items,
	});
	if (run.error) throw run.error;
	return run.items;
}

async function withBound<T>(connection: Connection, job: (client: BoundClient) => Promise<T>): Promise<T> {
	const client = new BoundClient(connection.url, connection.token);
	try {
		return await job(client);
	} finally {
		await client.close();
	}
}

/** The floor's input: as many items as ours gets (one per record), or a single one (a list, a poll). */
const ONE_INPUT = () => 1;

/**
 * The bound and the floor run one job — the same requests, built the same way — from a bare undici client and from
 * a bare node inside n8n's engine (`floorNode.ts`).
 */
function sameRequests<S>(
	job: (client: ApiClient, scenario: S, n: number) => Promise<unknown[]>,
	floorInputs: (n: number) => number = (n) => n,
): Pick<Workload<S>['run'], 'bound' | 'floor'> {
	return {
		bound: async (connection, scenario, n) => await withBound(connection, async (client) => await job(client, scenario, n)),
		floor: async (connection, scenario, n) =>
			await runFloor(connection, async (client) => await job(client, scenario, n), floorInputs(n)),
	};
}

export function expect(condition: boolean, message: string): void {
	if (!condition) throw new Error(`verification failed: ${message}`);
}

function tableSize(server: NinoxServer, tableId: string): number {
	return server.store.table(TEAM, DB, tableId).records.size;
}

function fieldsOf(server: NinoxServer, tableId: string, id: number): IDataObject | undefined {
	return server.store.getRecord(TEAM, DB, tableId, id)?.fields as IDataObject | undefined;
}

export const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

// ─── record writes ─────────────────────────────────────────────────────────

function createWorkload(size: number, perItemSize: number): Workload<BenchTable> {
	return {
		id: 'create',
		title: `Create ${fmt(size)} records`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Record → Create, fields mapped automatically from the input items',
			bound: '`POST …/records` with 1000 `{"fields": …}` per request',
			perItem: '`POST …/records` with one record per request',
		},
		setup: async (server) => addBenchTable(server, 'Bench', 0),
		run: {
			ours: async (connection, { tableId }, n) =>
				await runOurs(
					connection,
					{ resource: 'record', operation: 'create', ...tableParameters(tableId), ...AUTO_MAP, options: {} },
					range(n).map((i) => ({ json: row(i) })),
				),
			...sameRequests(async (client, { tableId }, n) => {
				const created: unknown[] = [];
				for (const batch of chunk(range(n), MAX_PAGE_SIZE)) {
					const body = batch.map((i) => ({ fields: row(i) }));
					created.push(...(await client.json<unknown[]>({ method: 'POST', path: recordsPath(tableId), body })));
				}
				return created;
			}),
			perItem: async (connection, { tableId }, n) =>
				await runPerItem(
					connection,
					{ method: 'POST', url: apiUrl(connection, recordsPath(tableId)), jsonBody: '={{ [{ fields: $json }] }}' },
					range(n).map((i) => ({ json: row(i) })),
				),
		},
		verify: (server, { tableId }, _contender, n, output) => {
			expect(output.length === n, `${output.length} output items for ${n} records`);
			expect(tableSize(server, tableId) === n, `the table holds ${tableSize(server, tableId)} records, not ${n}`);
			expect(fieldsOf(server, tableId, n)?.Name === row(n).Name, `record ${n} has the wrong name`);
		},
	};
}

interface ExistingTable extends BenchTable {
	existing: number;
}

/** Upsert ids: even items name existing records (1, 2, …), odd items new ones after the table's last record. */
export function upsertIds(n: number, existing: number): number[] {
	return range(n, 0).map((k) => (k % 2 === 0 ? k / 2 + 1 : existing + (k + 1) / 2));
}

function upsertByIdWorkload(size: number, perItemSize: number): Workload<ExistingTable> {
	const items = (n: number, existing: number) =>
		upsertIds(n, existing).map((id) => ({ json: { id, fields: row(id, 1) } }));
	return {
		id: 'upsertById',
		title: `Upsert ${fmt(size)} records by ID (half new)`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Record → Upsert, Match By Record ID (`{{ $json.id }}`), fields mapped automatically',
			bound: '`POST …/records` with 1000 `{"_upsert": true, "_id": …, "<field id>": …}` per request',
			perItem: 'the same upsert body with one record per request (field ids typed into the body expression)',
		},
		setup: async (server) => ({ ...addBenchTable(server, 'Bench', size), existing: size }),
		run: {
			ours: async (connection, { tableId, existing }, n) =>
				await runOurs(
					connection,
					{
						resource: 'record',
						operation: 'upsert',
						...tableParameters(tableId),
						upsertBy: 'id',
						recordId: '={{ $json.id }}',
						...AUTO_MAP,
						options: {},
					},
					items(n, existing),
				),
			...sameRequests(async (client, { tableId, fieldIds, existing }, n) => {
				const answers: unknown[] = [];
				for (const batch of chunk(upsertIds(n, existing), MAX_PAGE_SIZE)) {
					const body = batch.map((id) => ({ _upsert: true, _id: id, ...byFieldIds(row(id, 1), fieldIds) }));
					answers.push(...(await client.json<unknown[]>({ method: 'POST', path: recordsPath(tableId), body })));
				}
				return answers;
			}),
			perItem: async (connection, { tableId, fieldIds, existing }, n) => {
				// What a user writes into the HTTP Request node's body: Ninox's upsert keyed by field ids.
				const values = Object.entries(fieldIds)
					.map(([name, id]) => `${id}: $json.fields[${JSON.stringify(name)}]`)
					.join(', ');
				return await runPerItem(
					connection,
					{
						method: 'POST',
						url: apiUrl(connection, recordsPath(tableId)),
						jsonBody: `={{ [{ _upsert: true, _id: $json.id, ${values} }] }}`,
					},
					items(n, existing),
				);
			},
		},
		verify: (server, { tableId, existing }, _contender, n, output) => {
			const ids = upsertIds(n, existing);
			const created = ids.filter((id) => id > existing).length;
			expect(output.length === n, `${output.length} output items for ${n} upserts`);
			expect(tableSize(server, tableId) === existing + created, `the table holds ${tableSize(server, tableId)} records`);
			for (const id of [ids[0], ids[ids.length - 1]]) {
				expect(fieldsOf(server, tableId, id)?.Name === row(id, 1).Name, `record ${id} was not upserted`);
			}
		},
	};
}

function byFieldIds(fields: IDataObject, fieldIds: Record<string, string>): IDataObject {
	return Object.fromEntries(Object.entries(fields).map(([name, value]) => [fieldIds[name], value]));
}

/** Match-field upsert items: even items carry an existing email, odd items a new one. */
function upsertByFieldRows(n: number, existing: number): IDataObject[] {
	return upsertIds(n, existing).map((i) => {
		const { Name, Email, Score } = row(i, 2);
		return { Email, Name, Score };
	});
}

function upsertByFieldWorkload(size: number, perItemSize: number, tableRecords: number): Workload<ExistingTable> {
	return {
		id: 'upsertByField',
		title: `Upsert ${fmt(size)} records by a match field (half new, table of ${fmt(tableRecords)})`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		// a lookup and a write per record
		perItemRequests: (n) => 2 * n,
		describe: {
			ours: 'Record → Upsert, Match By Field Value (Email), fields mapped automatically',
			bound:
				'reads the whole table (`GET …/records?perPage=1000&page=…` until a short page), then `POST …/records` with 1000 `{"id": …, "fields": …}` or `{"fields": …}` per request',
			perItem: 'per record a lookup `GET …/records?filters={"<Email id>": …}`, then `PUT …/records/{id}` or `POST …/records`',
		},
		setup: async (server) => ({ ...addBenchTable(server, 'Bench', tableRecords), existing: tableRecords }),
		run: {
			ours: async (connection, { tableId, existing }, n) =>
				await runOurs(
					connection,
					{
						resource: 'record',
						operation: 'upsert',
						...tableParameters(tableId),
						upsertBy: 'field',
						matchField: 'Email',
						...AUTO_MAP,
						options: {},
					},
					upsertByFieldRows(n, existing).map((json) => ({ json })),
				),
			...sameRequests(async (client, { tableId, existing }, n) => {
				// The fewest requests: read the table once (pages of 1000), then write in batches of 1000.
				const records = await client.allPages<{ id: number; fields: IDataObject }>(recordsPath(tableId), MAX_PAGE_SIZE);
				const idByEmail = new Map(records.map((record) => [record.fields.Email, record.id]));
				const answers: unknown[] = [];
				for (const batch of chunk(upsertByFieldRows(n, existing), MAX_PAGE_SIZE)) {
					const body = batch.map((fields) => {
						const id = idByEmail.get(fields.Email);
						return id === undefined ? { fields } : { id, fields };
					});
					answers.push(...(await client.json<unknown[]>({ method: 'POST', path: recordsPath(tableId), body })));
				}
				return answers;
			}),
			perItem: async (connection, { tableId, fieldIds, existing }, n) => {
				// Step 1, per item: look the record up by its email (filters are keyed by field id).
				const lookups = await runPerItem(
					connection,
					{
						method: 'GET',
						url: `={{ ${JSON.stringify(apiUrl(connection, recordsPath(tableId)))} + '?filters=' + encodeURIComponent(JSON.stringify({ ${fieldIds.Email}: $json.Email })) }}`,
					},
					upsertByFieldRows(n, existing).map((json) => ({ json })),
				);
				// Step 2, per item: update the record found, or create one.
				const rows = upsertByFieldRows(n, existing);
				const writes = lookups.map((lookup, index) => {
					const found = (lookup.json.data as Array<{ id: number }>)[0];
					const fields = rows[index];
					return {
						json: found
							? { method: 'PUT', url: apiUrl(connection, recordPath(TEAM, DB, tableId, found.id)), body: { fields } }
							: { method: 'POST', url: apiUrl(connection, recordsPath(tableId)), body: [{ fields }] },
					};
				});
				return await runPerItem(
					connection,
					{ method: '={{ $json.method }}', url: '={{ $json.url }}', jsonBody: '={{ $json.body }}' },
					writes,
				);
			},
		},
		verify: (server, { tableId, existing }, _contender, n, output) => {
			const ids = upsertIds(n, existing);
			const created = ids.filter((id) => id > existing).length;
			expect(output.length === n, `${output.length} output items for ${n} upserts`);
			expect(tableSize(server, tableId) === existing + created, `the table holds ${tableSize(server, tableId)} records`);
			expect(fieldsOf(server, tableId, 1)?.Name === row(1, 2).Name, 'record 1 was not updated');
			// new records are created in item order, so the last one carries the last new email
			const newest = existing + created;
			expect(fieldsOf(server, tableId, newest)?.Email === row(newest).Email, `record ${newest} is not the last new one`);
		},
	};
}

function updateWorkload(size: number, perItemSize: number): Workload<ExistingTable> {
	const items = (n: number) => range(n).map((id) => ({ json: { id, fields: changedFields(id) } }));
	return {
		id: 'update',
		title: `Update ${fmt(size)} records`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Record → Update (`{{ $json.id }}`), the changed fields mapped automatically',
			bound: '`POST …/records` with 1000 `{"id": …, "fields": …}` per request',
			perItem: '`PUT …/records/{id}` per record',
		},
		setup: async (server) => ({ ...addBenchTable(server, 'Bench', size), existing: size }),
		run: {
			ours: async (connection, { tableId }, n) =>
				await runOurs(
					connection,
					{
						resource: 'record',
						operation: 'update',
						...tableParameters(tableId),
						recordId: '={{ $json.id }}',
						...AUTO_MAP,
						options: {},
					},
					items(n),
				),
			...sameRequests(async (client, { tableId }, n) => {
				const answers: unknown[] = [];
				for (const batch of chunk(range(n), MAX_PAGE_SIZE)) {
					const body = batch.map((id) => ({ id, fields: changedFields(id) }));
					answers.push(...(await client.json<unknown[]>({ method: 'POST', path: recordsPath(tableId), body })));
				}
				return answers;
			}),
			perItem: async (connection, { tableId }, n) =>
				await runPerItem(
					connection,
					{
						method: 'PUT',
						url: `={{ ${JSON.stringify(apiUrl(connection, recordsPath(tableId)))} + '/' + $json.id }}`,
						jsonBody: '={{ { fields: $json.fields } }}',
					},
					items(n),
				),
		},
		verify: (server, { tableId, existing }, _contender, n, output) => {
			expect(output.length === n, `${output.length} output items for ${n} updates`);
			expect(tableSize(server, tableId) === existing, 'the number of records changed');
			expect(fieldsOf(server, tableId, n)?.Name === row(n, 1).Name, `record ${n} was not updated`);
			expect(fieldsOf(server, tableId, n)?.Email === row(n).Email, `record ${n} lost a field it did not update`);
		},
	};
}

function deleteWorkload(size: number, perItemSize: number): Workload<ExistingTable> {
	const items = (n: number) => range(n).map((id) => ({ json: { id } }));
	return {
		id: 'delete',
		title: `Delete ${fmt(size)} records (Delete Many)`,
		size,
		perItemSize,
		batched: true,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Record → Delete Many (`{{ $json.id }}`)',
			bound: '`DELETE …/records` with 1000 ids per request',
			perItem: '`DELETE …/records/{id}` per record',
		},
		setup: async (server) => ({ ...addBenchTable(server, 'Bench', size), existing: size }),
		run: {
			ours: async (connection, { tableId }, n) =>
				await runOurs(
					connection,
					{
						resource: 'record',
						operation: 'deleteMany',
						...tableParameters(tableId),
						recordId: '={{ $json.id }}',
						options: {},
					},
					items(n),
				),
			...sameRequests(async (client, { tableId }, n) => {
				for (const ids of chunk(range(n), MAX_PAGE_SIZE)) {
					await client.request({ method: 'DELETE', path: recordsPath(tableId), body: ids });
				}
				return range(n);
			}),
			perItem: async (connection, { tableId }, n) =>
				await runPerItem(
					connection,
					{ method: 'DELETE', url: `={{ ${JSON.stringify(apiUrl(connection, recordsPath(tableId)))} + '/' + $json.id }}` },
					items(n),
				),
		},
		verify: (server, { tableId, existing }, _contender, n, output) => {
			expect(output.length === n, `${output.length} output items for ${n} deletes`);
			expect(tableSize(server, tableId) === existing - n, `the table holds ${tableSize(server, tableId)} records`);
		},
	};
}

// ─── list ──────────────────────────────────────────────────────────────────

export interface ListScenario {
	/** Table id by record count: the full table and the per-item sample. */
	tables: Record<number, string>;
}

export function listWorkload(size: number, perItemSize: number): Workload<ListScenario> {
	return {
		id: 'list',
		title: `List all of ${fmt(size)} records`,
		size,
		perItemSize,
		batched: true,
		readOnly: true,
		// Ninox's default page of 100, until a short (here: empty) page
		perItemRequests: (n) => Math.floor(n / NINOX_DEFAULT_PAGE) + 1,
		describe: {
			ours: 'Record → Get Many, Return All',
			bound: '`GET …/records?perPage=1000&page=…` until a short page (100 pages + 1 empty)',
			perItem:
				"`GET …/records?page=…` without `perPage`, i.e. Ninox's default page of 100, until a short page (what a naive client or an HTTP Request node with pagination does)",
		},
		setup: async (server) => {
			const tables: Record<number, string> = {};
			for (const records of [...new Set([size, perItemSize])]) {
				tables[records] = addBenchTable(server, `List ${records}`, records).tableId;
			}
			return { tables };
		},
		run: {
			ours: async (connection, { tables }, n) =>
				await runOurs(
					connection,
					{ resource: 'record', operation: 'getAll', ...tableParameters(tables[n]), returnAll: true, options: {} },
					[{ json: {} }],
				),
			...sameRequests(async (client, { tables }, n) => await client.allPages(recordsPath(tables[n]), MAX_PAGE_SIZE), ONE_INPUT),
			perItem: async (connection, { tables }, n) =>
				await runPerItem(
					connection,
					{ method: 'GET', url: apiUrl(connection, recordsPath(tables[n])), paginate: true },
					[{ json: {} }],
				),
		},
		verify: (_server, _scenario, _contender, n, output) => {
			expect(output.length === n, `${output.length} records listed of ${n}`);
			const last = output[n - 1] as { json?: IDataObject; id?: number };
			expect((last.json ?? last).id === n, 'the records are not all there, in order');
		},
	};
}

// ─── trigger ───────────────────────────────────────────────────────────────

interface TriggerScenario {
	/** The trigger's cursor after activation, as n8n saves it. */
	staticData: IDataObject;
	sequence: number;
	tableIds: string[];
	/** Changes the records endpoint can see (creates and updates) per table: deletions leave no record. */
	visiblePerTable: number[];
	changes: number;
}

const TRIGGER_PARAMETERS: INodeParameters = {
	team: locator(TEAM),
	database: locator(DB),
	scope: 'database',
	events: ['created', 'updated', 'deleted'],
	options: {},
};

/**
 * `changes` record changes spread over three tables in turn: of every ten, five creates, four updates and one
 * delete (each record changed once, so one change is one item).
 */
async function triggerSetup(server: NinoxServer, connection: Connection, records: number, changes: number): Promise<TriggerScenario> {
	const tableIds = ['Customers', 'Orders', 'Invoices'].map((name) => addBenchTable(server, name, records).tableId);
	const trigger = new TriggerWorkflow(TRIGGER_PARAMETERS, localCredentials(connection));
	expect((await trigger.poll()) === null, 'the first activation emitted items');
	const sequence = server.store.seq(TEAM, DB);
	const visiblePerTable = [0, 0, 0];
	const touched = [0, 0, 0];
	const random = prng(7);
	for (let change = 0; change < changes; change++) {
		const table = change % 3;
		const kind = change % 10;
		const tableId = tableIds[table];
		if (kind < 5) {
			server.store.insertRecords(TEAM, DB, tableId, [row(records + change + 1)]);
			visiblePerTable[table]++;
		} else {
			const id = ++touched[table];
			if (kind < 9) {
				server.store.updateRecord(TEAM, DB, tableId, id, { Score: Math.floor(random() * 1000), Status: 'Gone' });
				visiblePerTable[table]++;
			} else {
				server.store.deleteRecord(TEAM, DB, tableId, id);
			}
		}
	}
	return { staticData: trigger.staticDataJson(), sequence, tableIds, visiblePerTable, changes };
}

function triggerWorkload(records: number, changes: number): Workload<TriggerScenario> {
	const idle = changes === 0;
	return {
		id: idle ? 'triggerIdle' : 'triggerChanges',
		title: idle ? 'Trigger: idle poll (3 tables)' : `Trigger: poll with ${fmt(changes)} changes across 3 tables`,
		size: changes,
		perItemSize: changes,
		batched: false,
		readOnly: true,
		oursRequestGoal: idle ? 1 : undefined,
		// the feed keys fields by id; the items show them by name
		schemaReads: idle ? undefined : 1,
		describe: {
			ours: 'Ninox Trigger, Whole Database, all events, one poll from the saved cursor (a new workflow object each run)',
			bound: '`GET …/databases/{db}/changes?sinceSq=<cursor>`, schema known in advance',
			perItem:
				'per table `GET …/tables/{t}/records?sinceSq=<cursor>&page=…` in default pages of 100 (a Schedule Trigger + HTTP Request poller); it cannot see deletions',
		},
		setup: async (server, connection) => await triggerSetup(server, connection, records, changes),
		run: {
			ours: async (connection, { staticData }) => {
				// A new workflow object from the saved static data, as n8n polls an active workflow.
				const trigger = new TriggerWorkflow(TRIGGER_PARAMETERS, localCredentials(connection), staticData);
				return (await trigger.poll())?.[0] ?? [];
			},
			...sameRequests(async (client, { sequence }) => {
				const feed = await client.json<{ updates: IDataObject; removes: string[] }>({
					method: 'GET',
					path: [...databasePath(TEAM, DB), 'changes'],
					query: { sinceSq: sequence },
				});
				return [...Object.entries(feed.updates), ...feed.removes];
			}, ONE_INPUT),
			perItem: async (connection, { sequence, tableIds }) =>
				await runPerItem(
					connection,
					{ method: 'GET', url: '={{ $json.url }}', paginate: true },
					tableIds.map((tableId) => ({ json: { url: `${apiUrl(connection, recordsPath(tableId))}?sinceSq=${sequence}` } })),
				),
		},
		verify: (_server, { visiblePerTable }, contender, n, output) => {
			const visible = visiblePerTable.reduce((sum, count) => sum + count, 0);
			const expected = contender === 'perItem' ? visible : n;
			expect(output.length === expected, `${output.length} changes seen, expected ${expected}`);
		},
	};
}

// ─── files ─────────────────────────────────────────────────────────────────

interface FilesScenario {
	tableId: string;
	/** Files are on records 1…count; they are copied to records count+1…2·count. */
	count: number;
	bytes: number;
}

const fileName = (i: number) => `file-${i}.bin`;

function filesWorkload(size: number, perItemSize: number, bytes: number): Workload<FilesScenario> {
	const downloads = (n: number) => range(n).map((id) => ({ json: { id, file: fileName(id) } }));
	/** The downloaded items, each told where its copy goes (what a Set node would add). */
	const uploads = (downloaded: INodeExecutionData[], count: number) =>
		downloaded.map((item, index) => ({ ...item, json: { ...item.json, target: count + index + 1 } }));
	const filesUrl = (connection: Connection, tableId: string) =>
		JSON.stringify(apiUrl(connection, recordsPath(tableId)));
	return {
		id: 'files',
		title: `Download + upload ${fmt(size)} files of ${Math.round(bytes / 1024)} KB`,
		size,
		perItemSize,
		batched: false,
		perItemRequests: (n) => 2 * n,
		describe: {
			ours: 'File → Download into a binary field, then File → Upload of those items to other records',
			bound: '`GET …/files/{name}` and a multipart `POST …/records/{id}/files` per file (the API has no batch)',
			perItem: 'the same two requests per file through the HTTP helper, as the HTTP Request node does with files',
		},
		setup: async (server) => {
			const { tableId } = addBenchTable(server, 'Files', 2 * size);
			const random = prng(size);
			for (const id of range(size)) {
				const data = Buffer.alloc(bytes);
				for (let offset = 0; offset < bytes; offset += 4) data.writeUInt32LE(Math.floor(random() * 2 ** 32), offset);
				server.store.addFile(TEAM, DB, tableId, id, { name: fileName(id), data, contentType: 'application/octet-stream' });
			}
			return { tableId, count: size, bytes };
		},
		run: {
			ours: async (connection, { tableId, count }, n) => {
				const record = { resource: 'file', ...tableParameters(tableId), binaryPropertyName: 'data' };
				const downloaded = await runOurs(
					connection,
					{ ...record, operation: 'download', recordId: '={{ $json.id }}', fileName: '={{ $json.file }}' },
					downloads(n),
				);
				return await runOurs(
					connection,
					{ ...record, operation: 'upload', recordId: '={{ $json.target }}', options: {} },
					uploads(downloaded, count),
				);
			},
			...sameRequests(async (client, { tableId, count }, n) => {
				const answers: unknown[] = [];
				for (const id of range(n)) {
					const filePath = [...recordPath(TEAM, DB, tableId, id), 'files'];
					const file = await client.request<Buffer>({ method: 'GET', path: [...filePath, fileName(id)] });
					const multipart = multipartBody(file.body, fileName(id), file.contentType);
					const target = [...recordPath(TEAM, DB, tableId, count + id), 'files'];
					answers.push(
						(await client.request({ method: 'POST', path: target, body: multipart.body, contentType: multipart.contentType }))
							.body,
					);
				}
				return answers;
			}),
			perItem: async (connection, { tableId, count }, n) => {
				const downloaded = await runPerItem(
					connection,
					{
						method: 'GET',
						url: `={{ ${filesUrl(connection, tableId)} + '/' + $json.id + '/files/' + $json.file }}`,
						responseFormat: 'file',
					},
					downloads(n),
				);
				return await runPerItem(
					connection,
					{
						method: 'POST',
						url: `={{ ${filesUrl(connection, tableId)} + '/' + $json.target + '/files' }}`,
						uploadBinaryField: 'data',
					},
					uploads(downloaded, count),
				);
			},
		},
		verify: (server, { tableId, count, bytes: size }, _contender, n, output) => {
			expect(output.length === n, `${output.length} uploads for ${n} files`);
			for (const id of [1, n]) {
				const copy = server.store.getFile(TEAM, DB, tableId, count + id, fileName(id));
				const original = server.store.getFile(TEAM, DB, tableId, id, fileName(id));
				expect(copy?.data.length === size && copy.data.equals(original!.data), `file ${id} was not copied intact`);
			}
		},
	};
}

// ─── all of them ───────────────────────────────────────────────────────────

export function fmt(n: number): string {
	return n.toLocaleString('en-US').replace(/,/g, '\u202f');
}

export function buildWorkloads(sizes: Sizes): Workload[] {
	const { perItem } = sizes;
	return [
		createWorkload(sizes.create, perItem.writes),
		upsertByIdWorkload(sizes.upsertById, perItem.writes),
		upsertByFieldWorkload(sizes.upsertByField, perItem.upsertByField, sizes.upsertByFieldTable),
		updateWorkload(sizes.update, perItem.writes),
		deleteWorkload(sizes.delete, perItem.writes),
		listWorkload(sizes.list, perItem.list),
		triggerWorkload(sizes.triggerTable, 0),
		triggerWorkload(sizes.triggerTable, sizes.triggerChanges),
		filesWorkload(sizes.files, perItem.files, sizes.fileBytes),
		...(ninox4Workloads(sizes) as unknown as Workload[]),
	] as Workload[];
}
