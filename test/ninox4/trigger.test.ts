/**
 * The Ninox 4 Trigger inside n8n-core's engine (PollContext, the workflow's static data as n8n keeps it) against the
 * local Ninox 4 server's records change feed; request counts from the server's log.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FEED_START } from '../../nodes/Ninox4Trigger/feed';
import { SAMPLE_SIZE } from '../../nodes/Ninox4Trigger/sample';
import { PAGE_READ_COST } from '../../nodes/Ninox4Trigger/values';
import { MAX_PAGE_SIZE } from '../../nodes/Ninox4/transport/facts';
import { localNinox4Credentials, NINOX4_TRIGGER_NODE, shutdownEngine, TriggerWorkflow } from '../harness/engine';
import type { LoggedRequest, Ninox4Server, Table } from '../server4';
import { FACTS, renderRecord, seedBulkTable, startNinox4Server, writeValues } from '../server4';
import { prng } from '../server/faults';

// The transport's backoff waits with n8n-workflow's `sleep`; here it returns at once, so a poll that exhausts its
// retries fails in milliseconds instead of the ~15 s of real backoff.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const MODULE = 'bench';
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const ALL_EVENTS = ['created', 'updated', 'deleted'];
const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

let server: Ninox4Server;
let tableCounter = 0;

beforeAll(async () => {
	server = await startNinox4Server({ seed: 'empty' });
});
afterEach(() => server.faults.clear());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

/** A table of its own per test (module `bench`, fields name, amount, active, category, email, happened). */
class Scenario {
	readonly name = `trigger_${++tableCounter}`;
	readonly table: Table;

	constructor(records = 5, hasHistory = true) {
		this.table = seedBulkTable(server.store, { moduleName: MODULE, tableName: this.name, count: records, hasHistory });
	}

	parameters(extra: INodeParameters = {}): INodeParameters {
		return { module: byName(MODULE), table: byName(this.name), events: ALL_EVENTS, ...extra };
	}

	trigger(extra: INodeParameters = {}, staticData?: IDataObject): TriggerWorkflow {
		return new TriggerWorkflow(this.parameters(extra), localNinox4Credentials(server), staticData, NINOX4_TRIGGER_NODE);
	}

	create(values: IDataObject = {}): string {
		const [record] = server.store.createRecords(this.table, [writeValues(server.store, this.table, { name: 'new', ...values }, 'test')]);
		return String(record.id);
	}

	update(id: string, values: IDataObject): void {
		const record = this.table.records.get(Number(id))!;
		server.store.updateRecords(this.table, [{ record, values: writeValues(server.store, this.table, values, 'test') }]);
	}

	remove(id: string): void {
		server.store.deleteRecords(this.table, [Number(id)]);
	}

	/** The record's values as the API reads them. */
	values(id: string): IDataObject {
		return renderRecord(server.store, this.table, this.table.records.get(Number(id))!).values as IDataObject;
	}

	get size(): number {
		return this.table.records.size;
	}
}

interface Poll {
	items: IDataObject[] | null;
	requests: LoggedRequest[];
}

/** One poll, with the items it emitted (null: nothing) and the requests the server received for it. */
async function poll(trigger: TriggerWorkflow, mode: 'trigger' | 'manual' = 'trigger'): Promise<Poll> {
	server.clearLog();
	const output = await trigger.poll(mode);
	return { items: output ? output[0].map((item) => item.json) : null, requests: [...server.log] };
}

/** The request's path after the table: "records/changes", "records", "record/7", or "" for the table itself. */
const tail = (request: LoggedRequest) => request.segments.slice(4).join('/');

/** Items by record id, checking there is one item per record and poll. */
function byRecord(items: IDataObject[] | null): Record<string, IDataObject> {
	const map: Record<string, IDataObject> = {};
	for (const item of items ?? []) {
		expect(map[item.id as string]).toBeUndefined();
		map[item.id as string] = item;
	}
	return map;
}

const eventsOf = (items: IDataObject[] | null) =>
	Object.fromEntries(Object.entries(byRecord(items)).map(([id, item]) => [id, item.event]));

async function failure(promise: Promise<unknown>): Promise<Error & { httpCode?: string; description?: string }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { httpCode?: string; description?: string };
	}
	throw new Error('the poll did not fail');
}

describe('first activation and idle polls', () => {
	it('learns where the feed stands and the table size, emits nothing; an idle poll is then one request', async () => {
		const scenario = new Scenario(250);
		const trigger = scenario.trigger();
		const first = await poll(trigger);
		expect(first.items).toBeNull();
		// the feed's asOf (one entry asked for), then the table's size: pages 0, 1, 3 (empty), 2 (the last)
		expect(first.requests.map((r) => [tail(r), r.query.offset, r.query.limit])).toEqual([
			['records/changes', '0', '1'],
			['records', '0', '100'],
			['records', '100', '100'],
			['records', '300', '100'],
			['records', '200', '100'],
		]);
		expect(first.requests[0].query.since).toBe(FEED_START);
		const saved = trigger.nodeStaticData();
		expect(saved).toMatchObject({ table: `${MODULE}/${scenario.name}`, records: 250, seen: [] });
		expect(Date.parse(saved.asOf as string)).toBeGreaterThan(0);

		for (let round = 0; round < 3; round++) {
			const before = trigger.nodeStaticData().asOf as string;
			const idle = await poll(trigger);
			expect(idle.items).toBeNull();
			expect(idle.requests).toHaveLength(1);
			expect(idle.requests[0]).toMatchObject({ method: 'GET', status: 200 });
			expect(tail(idle.requests[0])).toBe('records/changes');
			expect(idle.requests[0].query).toEqual({ since: before, offset: '0', limit: String(MAX_PAGE_SIZE) });
			// the cursor follows the feed's asOf, so the next window starts there
			expect(Date.parse(trigger.nodeStaticData().asOf as string)).toBeGreaterThan(Date.parse(before));
		}
	});

	it('changes made before the activation are not emitted', async () => {
		const scenario = new Scenario(3);
		scenario.update('1', { name: 'before activation' });
		const trigger = scenario.trigger();
		expect((await poll(trigger)).items).toBeNull();
		expect((await poll(trigger)).items).toBeNull();
	});
});

describe('changes', () => {
	it('emits created, updated and deleted records once each, with their values by field name (deleted: ids only)', async () => {
		const scenario = new Scenario(300);
		const trigger = scenario.trigger();
		await poll(trigger);

		const created = scenario.create({ name: 'Zoë Ünal', amount: 12.5, category: 'B', active: true });
		scenario.update('2', { name: 'Renamed', category: 'C' });
		scenario.update('2', { amount: 99 });
		scenario.remove('3');
		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({ [created]: 'created', 2: 'updated', 3: 'deleted' });
		const records = byRecord(items);
		expect(records[created]).toEqual({
			event: 'created',
			module: MODULE,
			table: scenario.name,
			id: created,
			changedAt: expect.stringMatching(/Z$/),
			values: scenario.values(created),
		});
		expect(records[created].values).toMatchObject({ name: 'Zoë Ünal', amount: 12.5, category: 'B', active: true });
		expect(records['2'].values).toMatchObject({ name: 'Renamed', amount: 99, category: 'C' });
		expect(records['3']).toEqual({ event: 'deleted', module: MODULE, table: scenario.name, id: '3', changedAt: expect.any(String) });
		// the feed (one page), then the two records still there, one by one (fewer requests than the table's 3 pages)
		expect(requests.map(tail)).toEqual(['records/changes', `record/${created}`, 'record/2']);

		expect((await poll(trigger)).items).toBeNull();
	});

	it('a record created, edited and deleted between two polls is one deleted item; several edits one updated item', async () => {
		const scenario = new Scenario(3);
		const trigger = scenario.trigger();
		await poll(trigger);
		const shortLived = scenario.create();
		scenario.update(shortLived, { amount: 1 });
		scenario.remove(shortLived);
		for (let i = 0; i < 5; i++) scenario.update('1', { amount: i });
		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({ [shortLived]: 'deleted', 1: 'updated' });
		expect(byRecord(items)['1'].values).toMatchObject({ amount: 4 });
		expect(requests.map(tail)).toEqual(['records/changes', 'record/1']);
	});

	it('the Events filter emits only the chosen events and still moves past the others', async () => {
		const scenario = new Scenario(4);
		const trigger = scenario.trigger({ events: ['deleted'] });
		await poll(trigger);
		scenario.create();
		scenario.update('1', { amount: 7 });
		scenario.remove('2');
		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({ 2: 'deleted' });
		expect(requests.map(tail)).toEqual(['records/changes']); // a deletion needs no values
		expect((await poll(trigger)).items).toBeNull();

		scenario.update('1', { amount: 8 });
		expect(await poll(trigger)).toMatchObject({ items: null, requests: [expect.anything()] });
	});

	it('reads the feed page by page with page 1\'s asOf, and the table\'s pages when they are fewer requests than the records', async () => {
		const scenario = new Scenario(250);
		const trigger = scenario.trigger();
		await poll(trigger);
		const ids: string[] = [];
		for (let i = 0; i < 120; i++) ids.push(scenario.create({ amount: i }));
		for (let id = 1; id <= 130; id++) scenario.update(String(id), { name: `edited ${id}` });
		const { items, requests } = await poll(trigger);
		expect(items).toHaveLength(250); // 120 new (kept as created) and 130 old ones edited
		const records = byRecord(items);
		for (const id of ids) expect(records[id]).toMatchObject({ event: 'created', values: scenario.values(id) });
		for (let id = 1; id <= 130; id++) expect(records[String(id)]).toMatchObject({ event: 'updated', values: scenario.values(String(id)) });

		const feed = requests.filter((r) => tail(r) === 'records/changes');
		expect(feed.map((r) => r.query.offset)).toEqual(['0', '100', '200']);
		expect(feed[0].query.asOf).toBeUndefined();
		const asOf = trigger.nodeStaticData().asOf;
		expect(feed.slice(1).every((r) => r.query.asOf === asOf)).toBe(true);
		// 250 changed records of a table of 370: 4 pages, not 250 record reads
		expect(Math.ceil(370 / MAX_PAGE_SIZE) * PAGE_READ_COST).toBeLessThan(250);
		const reads = requests.filter((r) => tail(r) !== 'records/changes');
		expect(reads.map((r) => [tail(r), r.query.offset])).toEqual([
			['records', '0'],
			['records', '100'],
			['records', '200'],
			['records', '300'],
		]);
		expect(trigger.nodeStaticData().records).toBe(370); // learned exactly from the pages
	});
	it('a change at exactly the cursor is emitted once even when the feed\'s since is inclusive', async () => {
		// The contract leaves open whether `since` is inclusive (the local server: exclusive). Here it is inclusive,
		// and the feed's asOf falls on the change's very millisecond, so the next window starts with it again.
		const facts = FACTS as { sinceInclusive: boolean };
		const { store } = server;
		const tick = store.tick.bind(store);
		const scenario = new Scenario(300);
		const trigger = scenario.trigger();
		await poll(trigger);
		const id = scenario.create();
		const at = scenario.table.history[scenario.table.history.length - 1].at;
		facts.sinceInclusive = true;
		try {
			store.tick = () => at;
			const first = await poll(trigger);
			store.tick = tick;
			expect(eventsOf(first.items)).toEqual({ [id]: 'created' });
			expect(trigger.nodeStaticData()).toMatchObject({ asOf: new Date(at).toISOString(), seen: [`${id}@${at}`] });
			const again = await poll(trigger);
			expect(again.requests.map((r) => r.query.since)).toEqual([new Date(at).toISOString()]);
			expect(again.items).toBeNull();
			expect(trigger.nodeStaticData().seen).toEqual([]);
		} finally {
			facts.sinceInclusive = false;
			store.tick = tick;
		}
	});
});

describe('manual mode (Fetch Test Event)', () => {
	it('shows the latest records without touching the cursor, reading the feed from its end', async () => {
		const scenario = new Scenario(0);
		for (let i = 0; i < 1_000; i++) scenario.create({ amount: i }); // 1 000 changes: 10 pages of the feed
		scenario.update('500', { name: 'edited last' });
		const trigger = scenario.trigger();
		await poll(trigger);
		const cursor = trigger.staticDataJson();

		const { items, requests } = await poll(trigger, 'manual');
		expect(items!.map((item) => [item.id, item.event])).toEqual([
			['500', 'updated'],
			['1000', 'created'],
			['999', 'created'],
		]);
		expect(items![0].values).toEqual(scenario.values('500'));
		expect(trigger.staticDataJson()).toEqual(cursor);
		// the feed's last page found in a few requests, then the three records
		const feed = requests.filter((r) => tail(r) === 'records/changes');
		expect(feed.length).toBeLessThan(10);
		expect(feed.every((r) => r.query.since === FEED_START)).toBe(true);
		expect(requests.filter((r) => tail(r).startsWith('record/'))).toHaveLength(SAMPLE_SIZE);
	});

	it('honours Events, and works before the first activation without writing static data', async () => {
		const scenario = new Scenario(6);
		scenario.remove('2');
		scenario.update('4', { amount: 1 });
		scenario.remove('5');
		const deleted = scenario.trigger({ events: ['deleted'] });
		const { items, requests } = await poll(deleted, 'manual');
		expect(items).toEqual([
			{ event: 'deleted', module: MODULE, table: scenario.name, id: '5', changedAt: expect.any(String) },
			{ event: 'deleted', module: MODULE, table: scenario.name, id: '2', changedAt: expect.any(String) },
		]);
		expect(requests.map(tail)).toEqual(['records/changes']);
		expect(deleted.staticDataJson()).toEqual({});

		const updated = await poll(scenario.trigger({ events: ['updated'] }), 'manual');
		expect(updated.items!.map((item) => [item.id, item.event, item.values])).toEqual([['4', 'updated', scenario.values('4')]]);
	});

	it('a table without such changes is a clear error', async () => {
		const scenario = new Scenario(2);
		const error = await failure(scenario.trigger({ events: ['deleted'] }).poll('manual'));
		expect(error.message).toBe(`There are no deleted changes in table ${MODULE}/${scenario.name} to show as a test event`);
	});
});

describe('a table with history off', () => {
	it('fails with where to turn history on, never changes the table, and saves no cursor', async () => {
		const scenario = new Scenario(2, false);
		const trigger = scenario.trigger();
		for (const mode of ['trigger', 'manual'] as const) {
			server.clearLog();
			const error = await failure(trigger.poll(mode));
			expect(error.message).toBe(`Table "${scenario.name}" of module "${MODULE}" keeps no history, so its changes cannot be followed`);
			expect(error.description).toContain('switch on "History"');
			expect(error.description).toContain('The trigger never changes the table itself');
			expect(server.log.map((r) => [r.method, tail(r), r.status])).toEqual([
				['GET', 'records/changes', 400],
				['GET', '', 200],
			]);
		}
		expect(trigger.nodeStaticData()).toEqual({});
		expect(scenario.table.settings.hasHistory).toBe(false);
	});
});

describe('errors keep the cursor', () => {
	it('429s on the feed fail the poll with the rate-limit error; the cursor stays and the next poll recovers', async () => {
		const scenario = new Scenario(3);
		const trigger = scenario.trigger();
		await poll(trigger);
		const created = scenario.create();
		const cursor = trigger.staticDataJson();

		server.faults.add({ kind: '429', retryAfterSeconds: 0, times: 100 });
		server.clearLog();
		const error = await failure(trigger.poll());
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect(server.log.length).toBeGreaterThan(1);
		expect(server.log.every((r) => r.status === 429)).toBe(true);
		expect(trigger.staticDataJson()).toEqual(cursor);

		server.faults.clear();
		expect(eventsOf((await poll(trigger)).items)).toEqual({ [created]: 'created' });
		expect((await poll(trigger)).items).toBeNull();
	});

	it('503s on the record read fail the poll after the retries; nothing is lost or repeated', async () => {
		const scenario = new Scenario(3);
		const trigger = scenario.trigger();
		await poll(trigger);
		scenario.update('1', { amount: 5 });
		const cursor = trigger.staticDataJson();

		server.faults.add({ kind: '503', times: 100, match: { path: /\/record\/1$/ } });
		server.clearLog();
		const error = await failure(trigger.poll());
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
		expect(server.log.map((r) => [tail(r), r.status])).toEqual([
			['records/changes', 200],
			...Array.from({ length: 6 }, () => ['record/1', 503]),
		]);
		expect(trigger.staticDataJson()).toEqual(cursor);

		server.faults.clear();
		scenario.remove('2');
		expect(eventsOf((await poll(trigger)).items)).toEqual({ 1: 'updated', 2: 'deleted' });
		expect((await poll(trigger)).items).toBeNull();
	});

	it('a feed that never answers fails the poll at the Timeout option, keeps the cursor, and the next poll recovers', async () => {
		const scenario = new Scenario(3);
		const trigger = scenario.trigger({ options: { timeout: 0.3 } });
		await poll(trigger);
		const created = scenario.create();
		const cursor = trigger.staticDataJson();

		server.faults.add({ kind: 'silent', match: { path: /records\/changes$/ }, times: 6 });
		server.clearLog();
		await expect(trigger.poll()).rejects.toThrow(/^Ninox 4 did not answer GET .+\/records\/changes within 0\.3 s$/);
		expect(server.log.length).toBe(6);
		expect(trigger.staticDataJson()).toEqual(cursor);

		expect(eventsOf((await poll(trigger)).items)).toEqual({ [created]: 'created' });
	});

	it('a single 503 on the feed is retried within the poll', async () => {
		const scenario = new Scenario(3);
		const trigger = scenario.trigger();
		await poll(trigger);
		scenario.remove('3');
		server.faults.add({ kind: '503', times: 1 });
		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({ 3: 'deleted' });
		expect(requests.map((r) => r.status)).toEqual([503, 200]);
	});
});

describe('restarts and overlapping polls', () => {
	it('a restart from static data saved as JSON loses nothing and repeats nothing', async () => {
		const scenario = new Scenario(3);
		let trigger = scenario.trigger();
		await poll(trigger);
		const created = scenario.create();
		expect(eventsOf((await poll(trigger)).items)).toEqual({ [created]: 'created' });
		scenario.update(created, { amount: 3 });
		scenario.remove('1');
		// another worker (or n8n after a restart) picks the workflow up from its saved static data
		trigger = scenario.trigger({}, JSON.parse(JSON.stringify(trigger.staticDataJson())) as IDataObject);
		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({ [created]: 'updated', 1: 'deleted' });
		expect(requests[0].query.since).toBeDefined();
		trigger = scenario.trigger({}, trigger.staticDataJson());
		expect((await poll(trigger)).items).toBeNull();
	});

	it('a cursor saved for another table is not reused: the new table is learned afresh', async () => {
		const first = new Scenario(2);
		const second = new Scenario(2);
		const trigger = first.trigger();
		await poll(trigger);
		second.create();
		const moved = second.trigger({}, trigger.staticDataJson());
		expect((await poll(moved)).items).toBeNull();
		expect(moved.nodeStaticData().table).toBe(`${MODULE}/${second.name}`);
	});

	it('two overlapping polls on a slow feed emit each change once, and the cursor never moves back', async () => {
		const scenario = new Scenario(3);
		const trigger = scenario.trigger();
		await poll(trigger);
		const before = scenario.create();

		// The first poll's feed answers late; n8n starts the next poll meanwhile, on the same static data.
		server.faults.add({ kind: 'slow', delayMs: 300, match: { path: /records\/changes$/ }, times: 1 });
		server.clearLog();
		const slow = trigger.poll();
		await pause(80);
		const during = scenario.create(); // after the slow poll's window was taken, before the second poll starts
		const fast = await trigger.poll();
		const afterFast = trigger.nodeStaticData().asOf as string;
		const late = await slow;
		expect(eventsOf(fast?.[0].map((item) => item.json) ?? null)).toEqual({ [before]: 'created', [during]: 'created' });
		expect(late).toBeNull(); // overtaken: the other poll emitted its changes
		expect(trigger.nodeStaticData().asOf).toBe(afterFast);
		expect((await poll(trigger)).items).toBeNull();

		// The other way round: the first poll finishes first and the second, slower one is overtaken.
		const next = scenario.create();
		server.faults.add({ kind: 'slow', delayMs: 200, match: { path: new RegExp(`/record/${next}$`) }, times: 1 });
		server.faults.add({ kind: 'slow', delayMs: 400, match: { path: /records\/changes$/ }, times: 1 });
		const firstStarted = trigger.poll();
		await pause(40);
		const secondStarted = trigger.poll();
		const [firstResult, secondResult] = await Promise.all([firstStarted, secondStarted]);
		const emitted = [firstResult, secondResult].filter((result) => result !== null);
		expect(emitted).toHaveLength(1);
		expect(eventsOf(emitted[0]![0].map((item) => item.json))).toEqual({ [next]: 'created' });
		expect((await poll(trigger)).items).toBeNull();
	});
});

describe('seeded random run: creates, updates and deletes with restarts and overlapping polls', () => {
	/**
	 * Checked at every poll against what happened since the previous one: one item per changed record, `created`
	 * for a record created since (however often edited), `updated` for one that existed, `deleted` for one deleted
	 * since (also when created since: it is gone), values as the API reads them at the poll. So every record that
	 * lived to see a poll is emitted as created exactly once, every deletion exactly once, nothing twice. Now and then
	 * the trigger restarts from its JSON static data, or two polls run at once (one of them slow).
	 */
	it('emits every created, updated and deleted record exactly once', async () => {
		const scenario = new Scenario(150);
		const random = prng(20261201);
		const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
		let trigger = scenario.trigger();
		await poll(trigger);

		const alive = new Set([...scenario.table.records.keys()].map(String));
		let pending = new Map<string, string>();
		const counts = { operations: 0, creates: 0, updates: 0, deletes: 0, polls: 0, idlePolls: 0, restarts: 0, overlapping: 0 };
		const emitted = { created: new Map<string, number>(), updated: 0, deleted: new Map<string, number>() };
		const reads = { byRecord: 0, byPages: 0 };
		const everCreated = new Set<string>();
		const everDeleted = new Set<string>();
		const goneBeforeSeen = new Set<string>();

		function take(items: IDataObject[] | null): void {
			expect(eventsOf(items)).toEqual(Object.fromEntries(pending));
			for (const item of items ?? []) {
				const id = item.id as string;
				if (item.event === 'created') emitted.created.set(id, (emitted.created.get(id) ?? 0) + 1);
				if (item.event === 'updated') emitted.updated++;
				if (item.event === 'deleted') emitted.deleted.set(id, (emitted.deleted.get(id) ?? 0) + 1);
				if (item.event !== 'deleted') expect(item.values).toEqual(scenario.values(id));
			}
			pending = new Map();
		}

		async function check(): Promise<void> {
			counts.polls++;
			if (pending.size === 0) counts.idlePolls++;
			if (random() < 0.2) {
				// n8n starts the next poll while the last still runs; sometimes the first one's feed is slow
				counts.overlapping++;
				if (random() < 0.5) server.faults.add({ kind: 'slow', delayMs: 60, match: { path: /records\/changes$/ }, times: 1 });
				server.clearLog();
				const results = await Promise.all([trigger.poll(), pause(10).then(async () => await trigger.poll())]);
				const emitting = results.filter((result) => result !== null);
				expect(emitting.length).toBeLessThanOrEqual(1);
				take(emitting[0]?.[0].map((item) => item.json) ?? null);
			} else {
				const wasPending = pending.size;
				const { items, requests } = await poll(trigger);
				if (wasPending === 0) expect(requests).toHaveLength(1);
				take(items);
			}
			reads.byPages += server.log.filter((r) => tail(r) === 'records').length ? 1 : 0;
			reads.byRecord += server.log.some((r) => tail(r).startsWith('record/')) ? 1 : 0;
			if (random() < 0.15) {
				trigger = scenario.trigger({}, JSON.parse(JSON.stringify(trigger.staticDataJson())) as IDataObject);
				counts.restarts++;
			}
		}

		let untilPoll = 1 + Math.floor(random() * 25);
		for (let op = 0; op < 1_200; op++) {
			const roll = random();
			counts.operations++;
			if (alive.size === 0 || roll < 0.4) {
				const id = scenario.create({ name: `r${op} ü`, amount: op, category: pick(['A', 'B', 'C']) });
				alive.add(id);
				everCreated.add(id);
				pending.set(id, 'created');
				counts.creates++;
			} else if (roll < 0.75) {
				const id = pick([...alive]);
				scenario.update(id, { amount: op, active: random() < 0.5 });
				if (pending.get(id) !== 'created') pending.set(id, 'updated');
				counts.updates++;
			} else {
				const id = pick([...alive]);
				scenario.remove(id);
				alive.delete(id);
				everDeleted.add(id);
				if (pending.get(id) === 'created') goneBeforeSeen.add(id);
				pending.set(id, 'deleted');
				counts.deletes++;
			}
			if (--untilPoll === 0) {
				await check();
				if (random() < 0.2) await check(); // an idle poll: nothing, one request
				untilPoll = 1 + Math.floor(random() * 25);
			}
		}
		await check();

		for (const id of everDeleted) expect(emitted.deleted.get(id)).toBe(1);
		for (const id of everCreated) expect(emitted.created.get(id) ?? 0).toBe(goneBeforeSeen.has(id) ? 0 : 1);
		expect(counts.operations).toBeGreaterThanOrEqual(1_000);
		expect(counts.restarts).toBeGreaterThan(3);
		expect(counts.overlapping).toBeGreaterThan(3);
		expect(goneBeforeSeen.size).toBeGreaterThan(0);
		expect(reads.byPages).toBeGreaterThan(0);
		expect(reads.byRecord).toBeGreaterThan(0);
		const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
		// eslint-disable-next-line no-console
		console.log(
			[
				'Ninox 4 Trigger, seeded random run:',
				`  ${counts.operations} operations: ${counts.creates} creates, ${counts.updates} updates, ${counts.deletes} deletes`,
				`  ${counts.polls} polls (${counts.idlePolls} idle, ${counts.overlapping} overlapping pairs), ${counts.restarts} restarts from JSON static data`,
				`  emitted: ${sum(emitted.created)} created (of ${everCreated.size} created records; ${goneBeforeSeen.size} deleted before any poll saw them),` +
					` ${emitted.updated} updated, ${sum(emitted.deleted)} deleted (of ${everDeleted.size} deleted records)`,
				'  every created record emitted once, every deleted record once, no item twice',
				`  values read per record in ${reads.byRecord} polls, by the table's pages in ${reads.byPages}`,
			].join('\n'),
		);
	});
});
