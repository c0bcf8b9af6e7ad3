/**
 * The Ninox 4 workloads, against the local Ninox 4 server, with the same four contenders as the classic ones:
 * ours (the Ninox 4 node or trigger in n8n's engine), the bound (a bare undici client that knows the schema and
 * the table's size), the floor (the bound's requests from a bare node in n8n's engine) and per-item (one request
 * per record through n8n's HTTP helper). Ninox 4 pages hold at most 100 rows, and a POST or PATCH body at most
 * 6 MB: a 100 000-record list is 1 000 requests for everybody, 10 000 writes fit in one body.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { batchBySize, recordsPath, tablePath } from '../../nodes/Ninox4/transport';
import { MAX_PAGE_SIZE } from '../../nodes/Ninox4/transport/facts';
import { NINOX4_NODE, NINOX4_TRIGGER_NODE, runNode, TriggerWorkflow } from '../harness/engine';
import type { Ninox4Server } from '../server4';
import { SEED_EPOCH, seedBulkTable } from '../server4';
import { NINOX4_API } from './api';
import type { ApiClient } from './boundClient';
import { BoundClient } from './boundClient';
import { runFloor } from './floorNode';
import { PER_ITEM_NODE, perItemHttpNodeFor } from './perItemNode';
import type { Connection, Sizes, Workload } from './workloads';
import { expect, fmt, range, upsertIds } from './workloads';

type Workload4<S> = Workload<S, Ninox4Server>;

const MODULE = 'bench';
const CATEGORIES = ['A', 'B', 'C'];
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const AUTO_MAP: INodeParameters = { fieldsInput: 'mapping', columns: { mappingMode: 'autoMapInputData', value: null } };
const perItemNode4 = perItemHttpNodeFor(NINOX4_API.credentialType);

/** Record `i` of a bench table (the fields of `seedBulkTable`); `version` > 0 gives what an update writes. */
function row(i: number, version = 0): IDataObject {
	return {
		name: version ? `Record ${i} v${version}` : `Record ${i}`,
		amount: i * 1.5 + version,
		active: (i + version) % 2 === 0,
		category: CATEGORIES[(i + version) % 3],
		email: `record${i}@example.com`,
		happened: new Date(SEED_EPOCH + i * 1000).toISOString(),
	};
}

interface Bench4Table {
	table: string;
	existing: number;
}

function addTable(server: Ninox4Server, table: string, records: number): Bench4Table {
	seedBulkTable(server.store, { moduleName: MODULE, tableName: table, count: records });
	return { table, existing: records };
}

function storedTable(server: Ninox4Server, table: string) {
	return server.store.table(MODULE, table);
}

function storedName(server: Ninox4Server, table: string, id: number): unknown {
	const stored = storedTable(server, table);
	const record = stored.records.get(id);
	return record?.values[stored.field('name')!.id];
}

const tableParameters = (table: string): INodeParameters => ({ module: byName(MODULE), table: byName(table) });

async function runOurs(connection: Connection, parameters: INodeParameters, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const run = await runNode({
		nodeType: NINOX4_NODE,
		parameters: { resource: 'record', ...parameters },
		credentials: NINOX4_API.credentials(connection),
		items,
	});
	if (run.error) throw run.error;
	return run.items;
}

async function runPerItem(connection: Connection, parameters: INodeParameters, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const run = await runNode({
		nodeType: PER_ITEM_NODE,
		extraNodeTypes: { [PER_ITEM_NODE]: perItemNode4 },
		credentialType: NINOX4_API.credentialType,
		parameters,
		credentials: NINOX4_API.credentials(connection),
		items,
	});
	if (run.error) throw run.error;
	return run.items;
}

/** The bound and the floor: one job, the same requests, from a bare client and from a bare node in n8n's engine. */
function sameRequests<S>(
	job: (client: ApiClient, scenario: S, n: number) => Promise<unknown[]>,
	floorInputs: (n: number) => number = (n) => n,
): Pick<Workload4<S>['run'], 'bound' | 'floor'> {
	return {
		bound: async (connection, scenario, n) => {
			const client = new BoundClient(connection.url, connection.token, NINOX4_API.root(connection));
			try {
				return await job(client, scenario, n);
			} finally {
				await client.close();
			}
		},
		floor: async (connection, scenario, n) =>
			await runFloor(connection, async (client) => await job(client, scenario, n), floorInputs(n), NINOX4_API),
	};
}

const ONE_INPUT = () => 1;

/** The API URL a user types into an HTTP Request node. */
function apiUrl(connection: Connection, path: string[]): string {
	return connection.url + NINOX4_API.root(connection) + path.map((segment) => '/' + encodeURIComponent(segment)).join('');
}

/** Bodies as the 6 MB limit allows (the bound knows Ninox 4's limit too). */
async function writeInBodies(
	client: ApiClient,
	method: 'POST' | 'PATCH',
	path: string[],
	records: IDataObject[],
): Promise<unknown[]> {
	const answers: unknown[] = [];
	for (const batch of batchBySize(records, (record) => record, Number.MAX_SAFE_INTEGER)) {
		answers.push(await client.json({ method, path, body: { records: batch } }));
	}
	return answers;
}

function createWorkload(size: number, perItemSize: number): Workload4<Bench4Table> {
	const items = (n: number) => range(n).map((i) => ({ json: row(i) }));
	return {
		id: 'create4',
		api: 'ninox4',
		title: `Ninox 4: create ${fmt(size)} records`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Ninox 4 → Record → Create, fields mapped automatically',
			bound: '`POST …/records` `{"records": […]}`, as many records per body as 6 MB allow (all 10 000 in one)',
			perItem: '`POST …/records` with one record per request',
		},
		setup: async (server) => addTable(server, 'create', 0),
		run: {
			ours: async (connection, { table }, n) =>
				await runOurs(connection, { operation: 'create', ...tableParameters(table), ...AUTO_MAP, options: {} }, items(n)),
			...sameRequests(async (client, { table }, n) => await writeInBodies(client, 'POST', recordsPath(MODULE, table), range(n).map((i) => row(i)))),
			perItem: async (connection, { table }, n) =>
				await runPerItem(
					connection,
					{ method: 'POST', url: apiUrl(connection, recordsPath(MODULE, table)), jsonBody: '={{ { records: [$json] } }}' },
					items(n),
				),
		},
		verify: (server, { table }, contender, n, output) => {
			const expected = contender === 'ours' || contender === 'perItem' ? n : 1;
			expect(output.length >= expected, `${output.length} output items`);
			expect(storedTable(server, table).records.size === n, `the table holds ${storedTable(server, table).records.size} records, not ${n}`);
			expect(storedName(server, table, n) === row(n).name, `record ${n} has the wrong name`);
		},
	};
}

function updateWorkload(size: number, perItemSize: number): Workload4<Bench4Table> {
	const changed = (id: number) => {
		const { name, amount, category } = row(id, 1);
		return { id, name, amount, category };
	};
	return {
		id: 'update4',
		api: 'ninox4',
		title: `Ninox 4: update ${fmt(size)} records`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Ninox 4 → Record → Update (`{{ $json.id }}`), the changed fields mapped automatically',
			bound: '`PATCH …/records` `{"records": [{"id": …, …}]}`, as many per body as 6 MB allow',
			perItem: '`PATCH …/records` with one record per request',
		},
		setup: async (server) => addTable(server, 'update', size),
		run: {
			ours: async (connection, { table }, n) =>
				await runOurs(
					connection,
					{ operation: 'update', ...tableParameters(table), recordId: '={{ $json.id }}', ...AUTO_MAP, options: {} },
					range(n).map((id) => ({ json: changed(id) })),
				),
			...sameRequests(async (client, { table }, n) => await writeInBodies(client, 'PATCH', recordsPath(MODULE, table), range(n).map(changed))),
			perItem: async (connection, { table }, n) =>
				await runPerItem(
					connection,
					{ method: 'PATCH', url: apiUrl(connection, recordsPath(MODULE, table)), jsonBody: '={{ { records: [$json] } }}' },
					range(n).map((id) => ({ json: changed(id) })),
				),
		},
		verify: (server, { table, existing }, _contender, n) => {
			expect(storedTable(server, table).records.size === existing, 'the number of records changed');
			expect(storedName(server, table, n) === row(n, 1).name, `record ${n} was not updated`);
			expect(storedName(server, table, n + 1) === row(n + 1).name || n === existing, `record ${n + 1} was changed`);
		},
	};
}

function upsertWorkload(size: number, perItemSize: number): Workload4<Bench4Table> {
	const rows = (n: number, existing: number) => upsertIds(n, existing).map((id) => row(id, 1));
	return {
		id: 'upsert4',
		api: 'ninox4',
		title: `Ninox 4: create or update ${fmt(size)} records by a unique field (half new)`,
		size,
		perItemSize,
		batched: true,
		schemaReads: 1,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Ninox 4 → Record → Create or Update, Match Field `email` (unique), fields mapped automatically',
			bound: '`POST …/records/upsert` `{"matchField": "email", "records": […]}`, as many per body as 6 MB allow',
			perItem: '`POST …/records/upsert` with one record per request',
		},
		setup: async (server) => addTable(server, 'upsert', size),
		run: {
			ours: async (connection, { table, existing }, n) =>
				await runOurs(
					connection,
					{ operation: 'upsert', ...tableParameters(table), matchField: 'email', ...AUTO_MAP, options: {} },
					rows(n, existing).map((json) => ({ json })),
				),
			...sameRequests(async (client, { table, existing }, n) => {
				const answers: unknown[] = [];
				for (const batch of batchBySize(rows(n, existing), (record) => record, Number.MAX_SAFE_INTEGER)) {
					answers.push(
						await client.json({ method: 'POST', path: [...recordsPath(MODULE, table), 'upsert'], body: { matchField: 'email', records: batch } }),
					);
				}
				return answers;
			}),
			perItem: async (connection, { table, existing }, n) =>
				await runPerItem(
					connection,
					{
						method: 'POST',
						url: apiUrl(connection, [...recordsPath(MODULE, table), 'upsert']),
						jsonBody: '={{ { matchField: "email", records: [$json] } }}',
					},
					rows(n, existing).map((json) => ({ json })),
				),
		},
		verify: (server, { table, existing }, _contender, n) => {
			const ids = upsertIds(n, existing);
			const created = ids.filter((id) => id > existing).length;
			const stored = storedTable(server, table);
			expect(stored.records.size === existing + created, `the table holds ${stored.records.size} records`);
			expect(storedName(server, table, 1) === row(1, 1).name, 'record 1 was not updated');
			expect(storedName(server, table, existing + created) === row(existing + created, 1).name, 'the last new record is wrong');
		},
	};
}

function deleteWorkload(size: number, perItemSize: number): Workload4<Bench4Table> {
	return {
		id: 'delete4',
		api: 'ninox4',
		title: `Ninox 4: delete ${fmt(size)} records (Delete Many)`,
		size,
		perItemSize,
		batched: true,
		perItemRequests: (n) => n,
		describe: {
			ours: 'Ninox 4 → Record → Delete Many (`{{ $json.id }}`)',
			bound: '`DELETE …/records` `{"records": [ids]}`, all ids in one body',
			perItem: '`DELETE …/records` with one id per request',
		},
		setup: async (server) => addTable(server, 'delete', size),
		run: {
			ours: async (connection, { table }, n) =>
				await runOurs(
					connection,
					{ operation: 'deleteMany', ...tableParameters(table), recordIds: '={{ $json.id }}', options: {} },
					range(n).map((id) => ({ json: { id } })),
				),
			...sameRequests(async (client, { table }, n) => {
				await client.request({ method: 'DELETE', path: recordsPath(MODULE, table), body: { records: range(n) } });
				return range(n);
			}),
			perItem: async (connection, { table }, n) =>
				await runPerItem(
					connection,
					{ method: 'DELETE', url: apiUrl(connection, recordsPath(MODULE, table)), jsonBody: '={{ { records: [$json.id] } }}' },
					range(n).map((id) => ({ json: { id } })),
				),
		},
		verify: (server, { table, existing }, _contender, n) => {
			const left = storedTable(server, table).records.size;
			expect(left === existing - n, `the table holds ${left} records`);
		},
	};
}

interface List4Scenario {
	/** Table name by record count: the full table and the per-item sample. */
	tables: Record<number, string>;
}

function listWorkload(size: number, perItemSize: number, maxRepetitions?: number): Workload4<List4Scenario> {
	const pages = (n: number) => Math.max(1, Math.ceil(n / MAX_PAGE_SIZE));
	return {
		id: 'list4',
		api: 'ninox4',
		title: `Ninox 4: list all of ${fmt(size)} records`,
		size,
		perItemSize,
		batched: true,
		readOnly: true,
		maxRepetitions,
		perItemRequests: pages,
		describe: {
			ours: 'Ninox 4 → Record → Get Many, Return All',
			bound: `\`GET …/records?offset=…&limit=100\` until \`has_more\` is false (Ninox 4's largest page: ${fmt(pages(size))} requests)`,
			perItem: "the HTTP Request node's own pagination: `offset` += 100 until `has_more` is false (the same requests)",
		},
		setup: async (server) => {
			const tables: Record<number, string> = {};
			for (const records of [...new Set([size, perItemSize])]) tables[records] = addTable(server, `list_${records}`, records).table;
			return { tables };
		},
		run: {
			ours: async (connection, { tables }, n) =>
				await runOurs(connection, { operation: 'getAll', ...tableParameters(tables[n]), returnAll: true, options: {} }, [{ json: {} }]),
			...sameRequests(async (client, { tables }, n) => {
				const rows: unknown[] = [];
				for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
					const page = await client.json<{ data: unknown[]; page_info?: { has_more?: boolean } }>({
						method: 'GET',
						path: recordsPath(MODULE, tables[n]),
						query: { offset, limit: MAX_PAGE_SIZE },
					});
					rows.push(...page.data);
					if (page.page_info?.has_more !== true) return rows;
				}
			}, ONE_INPUT),
			perItem: async (connection, { tables }, n) =>
				await runPerItem(connection, { method: 'GET', url: apiUrl(connection, recordsPath(MODULE, tables[n])), paginateOffset: true }, [
					{ json: {} },
				]),
		},
		verify: (_server, _scenario, _contender, n, output) => {
			expect(output.length === n, `${output.length} records listed of ${n}`);
			const last = output[n - 1] as { json?: IDataObject; id?: string };
			expect(String((last.json ?? last).id) === String(n), 'the records are not all there, in order');
		},
	};
}

// ─── trigger ───────────────────────────────────────────────────────────────

interface Trigger4Scenario {
	table: string;
	/** The trigger's cursor after activation, as n8n saves it. */
	staticData: IDataObject;
	asOf: string;
	/** The table's record count after the changes (the bound knows it). */
	records: number;
	/** Changed records still there (their values are read) and deleted ones. */
	live: number;
	changes: number;
}

const TRIGGER_EVENTS = ['created', 'updated', 'deleted'];

/** `changes` changes of distinct records: of every ten, five creates, four updates and one delete. */
async function triggerSetup(server: Ninox4Server, connection: Connection, records: number, changes: number): Promise<Trigger4Scenario> {
	const table = changes ? 'trigger_changes' : 'trigger_idle';
	addTable(server, table, records);
	const parameters: INodeParameters = { module: byName(MODULE), table: byName(table), events: TRIGGER_EVENTS };
	const trigger = new TriggerWorkflow(parameters, NINOX4_API.credentials(connection), undefined, NINOX4_TRIGGER_NODE);
	expect((await trigger.poll()) === null, 'the first activation emitted items');
	const staticData = trigger.staticDataJson();
	const asOf = trigger.nodeStaticData().asOf as string;
	const stored = storedTable(server, table);
	let touched = 0;
	let live = 0;
	for (let change = 0; change < changes; change++) {
		const kind = change % 10;
		if (kind < 5) {
			server.store.createRecords(stored, [{ [stored.field('name')!.id]: `New ${change}` }]);
			live++;
		} else if (kind < 9) {
			const record = stored.records.get(++touched)!;
			server.store.updateRecords(stored, [{ record, values: { [stored.field('amount')!.id]: change } }]);
			live++;
		} else {
			server.store.deleteRecords(stored, [++touched]);
		}
	}
	return { table, staticData, asOf, records: stored.records.size, live, changes };
}

interface Change4 {
	id: string;
	changeType: string;
}

/** The bound's poll: the feed's pages, then the values by record or by the table's pages, whichever is fewer. */
async function boundPoll(client: ApiClient, { table, asOf, records }: Trigger4Scenario): Promise<unknown[]> {
	const entries: Change4[] = [];
	let pinned: string | undefined;
	for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
		const page = await client.json<{ data: Change4[]; meta: { asOf: string }; page_info?: { has_more?: boolean } }>({
			method: 'GET',
			path: [...recordsPath(MODULE, table), 'changes'],
			query: { since: asOf, asOf: pinned, offset, limit: MAX_PAGE_SIZE },
		});
		pinned ??= page.meta.asOf;
		entries.push(...page.data);
		if (page.page_info?.has_more !== true) break;
	}
	const last = new Map(entries.map((entry) => [entry.id, entry.changeType]));
	const live = [...last].filter(([, type]) => type !== 'delete').map(([id]) => id);
	const values = new Map<string, unknown>();
	if (Math.ceil(records / MAX_PAGE_SIZE) < live.length) {
		const wanted = new Set(live);
		for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
			const page = await client.json<{ data: Array<{ id: string; values: unknown }>; page_info?: { has_more?: boolean } }>({
				method: 'GET',
				path: recordsPath(MODULE, table),
				query: { offset, limit: MAX_PAGE_SIZE },
			});
			for (const record of page.data) if (wanted.has(record.id)) values.set(record.id, record.values);
			if (page.page_info?.has_more !== true) break;
		}
	} else {
		for (const id of live) values.set(id, (await client.json<{ data: { values: unknown } }>({ method: 'GET', path: [...tablePath(MODULE, table), 'record', id] })).data.values);
	}
	return [...last].map(([id, changeType]) => ({ id, changeType, values: values.get(id) }));
}

function triggerWorkload(records: number, changes: number): Workload4<Trigger4Scenario> {
	const idle = changes === 0;
	return {
		id: idle ? 'trigger4Idle' : 'trigger4Changes',
		api: 'ninox4',
		title: idle ? `Ninox 4 Trigger: idle poll (table of ${fmt(records)})` : `Ninox 4 Trigger: poll after ${fmt(changes)} changes (table of ${fmt(records)})`,
		size: changes,
		perItemSize: changes,
		batched: false,
		readOnly: true,
		oursRequestGoal: idle ? 1 : undefined,
		describe: {
			ours: 'Ninox 4 Trigger, all events, one poll from the saved cursor (a new workflow object each run)',
			bound:
				'`GET …/records/changes?since=<cursor>&limit=100` (pages 2+ with `asOf`), then the changed records\' values: the table\'s pages when fewer than one `GET …/record/{id}` each',
			perItem:
				'the feed with the HTTP Request node\'s offset pagination, then `GET …/record/{id}` per changed record still there (a Schedule Trigger + HTTP Request poller)',
		},
		setup: async (server, connection) => await triggerSetup(server, connection, records, changes),
		run: {
			ours: async (connection, { table, staticData }) => {
				const parameters: INodeParameters = { module: byName(MODULE), table: byName(table), events: TRIGGER_EVENTS };
				const trigger = new TriggerWorkflow(parameters, NINOX4_API.credentials(connection), staticData, NINOX4_TRIGGER_NODE);
				return (await trigger.poll())?.[0] ?? [];
			},
			...sameRequests(async (client, scenario) => await boundPoll(client, scenario), ONE_INPUT),
			perItem: async (connection, { table, asOf }) => {
				const feed = await runPerItem(
					connection,
					{ method: 'GET', url: `${apiUrl(connection, [...recordsPath(MODULE, table), 'changes'])}?since=${encodeURIComponent(asOf)}`, paginateOffset: true },
					[{ json: {} }],
				);
				const live = feed.filter((item) => item.json.changeType !== 'delete');
				if (!live.length) return feed;
				return await runPerItem(
					connection,
					{ method: 'GET', url: `={{ ${JSON.stringify(apiUrl(connection, [...tablePath(MODULE, table), 'record']))} + '/' + $json.id }}` },
					live.map((item) => ({ json: item.json })),
				);
			},
		},
		verify: (_server, { live, changes: n }, contender, _n, output) => {
			const expected = contender === 'perItem' ? live : n;
			expect(output.length === expected, `${output.length} changes seen, expected ${expected}`);
		},
	};
}

export function ninox4Workloads(sizes: Sizes): Array<Workload4<unknown>> {
	const { perItem } = sizes;
	return [
		createWorkload(sizes.create, perItem.writes),
		updateWorkload(sizes.update, perItem.writes),
		upsertWorkload(sizes.upsertById, perItem.writes),
		deleteWorkload(sizes.delete, perItem.writes),
		listWorkload(sizes.list, perItem.list, 3),
		triggerWorkload(sizes.ninox4TriggerTable, 0),
		triggerWorkload(sizes.ninox4TriggerTable, sizes.triggerChanges),
	] as unknown as Array<Workload4<unknown>>;
}
