import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { localCredentials, shutdownEngine, TriggerWorkflow } from './harness/engine';
import type { Database, LoggedRequest, NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';
import { prng } from './server/faults';

// The transport's backoff waits with n8n-workflow's `sleep`; here it returns at once (and records what it was asked
// to wait) so a poll that exhausts its retries fails in milliseconds instead of the ~15 s of real backoff.
const mockSleeps: number[] = [];
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return {
		...actual,
		sleep: jest.fn(async (ms: number) => {
			mockSleeps.push(ms);
		}),
	};
});

const TEAM = DEMO.teamId;
/** What the first poll asks for: a sequence above any real one, so the feed answers only the current state. */
const CURRENT_STATE_SINCE = '2147483647';
const locator = (value: string) => ({ __rl: true, mode: 'id', value });

let server: NinoxServer;
let databaseCounter = 0;

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'empty' });
	// Every write one second after the one before, so "the latest records" are well defined.
	let clock = Date.UTC(2024, 5, 1, 12, 0, 0);
	server.store.now = () => (clock += 1000);
});
afterEach(() => server.faults.clear());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

/** A database of its own per test: Customers (A, records 1-3) and Orders (B, records 1-2). */
class Scenario {
	readonly db: Database;
	readonly customers = 'A';
	readonly orders = 'B';

	constructor() {
		this.db = server.store.addDatabase(TEAM, { name: `Trigger ${++databaseCounter}` });
		this.fill(this.db);
	}

	fill(db: Database): void {
		db.addTable({
			name: 'Customers',
			fields: [
				{ name: 'Name', type: 'string' },
				{ name: 'Kind', type: 'choice', choices: ['Person', 'Company'] },
				{ name: 'Tags', type: 'multi', choices: ['Red', 'Green', 'Blue'] },
				{ name: 'Birthday', type: 'date' },
			],
		});
		db.addTable({ name: 'Orders', fields: [{ name: 'Title', type: 'string' }, { name: 'Amount', type: 'number' }] });
		server.store.insertRecords(TEAM, db.id, 'A', [
			{ Name: 'Ada', Kind: 'Person', Tags: ['Red'], Birthday: '1815-12-10' },
			{ Name: 'Brunel GmbH', Kind: 'Company' },
			{ Name: 'Zoë Ünal', Kind: 'Person' },
		]);
		server.store.insertRecords(TEAM, db.id, 'B', [{ Title: 'First', Amount: 10 }, { Title: 'Second', Amount: 20 }]);
	}

	parameters(extra: INodeParameters = {}): INodeParameters {
		return {
			team: locator(TEAM),
			database: locator(this.db.id),
			scope: 'database',
			events: ['created', 'updated', 'deleted'],
			...extra,
		};
	}

	trigger(extra: INodeParameters = {}, staticData?: IDataObject): TriggerWorkflow {
		return new TriggerWorkflow(this.parameters(extra), localCredentials(server), staticData);
	}

	create(tableId: string, fields: IDataObject): number {
		return server.store.insertRecords(TEAM, this.db.id, tableId, [fields])[0];
	}

	update(tableId: string, recordId: number, fields: IDataObject): void {
		server.store.updateRecord(TEAM, this.db.id, tableId, recordId, fields);
	}

	remove(tableId: string, recordId: number): void {
		expect(server.store.deleteRecord(TEAM, this.db.id, tableId, recordId)).toBe(true);
	}

	fields(tableId: string, recordId: number): IDataObject {
		return server.store.getRecord(TEAM, this.db.id, tableId, recordId)!.fields as IDataObject;
	}

	get seq(): number {
		return server.store.seq(TEAM, this.db.id);
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
	return { items: output ? output[0].map((item) => item.json) : null, requests: [...server.requests] };
}

/** Path of a request after /teams/{t}/databases/{db}, e.g. "changes" or "tables/B". */
const tail = (request: LoggedRequest) => request.segments.slice(4).join('/');

function byRecord(items: IDataObject[] | null): Record<string, IDataObject> {
	const map: Record<string, IDataObject> = {};
	for (const item of items ?? []) {
		const key = `${item.tableId as string}${item.recordId as number}`;
		expect(map[key]).toBeUndefined(); // one item per record and poll
		map[key] = item;
	}
	return map;
}

const eventsOf = (items: IDataObject[] | null) =>
	Object.fromEntries(Object.entries(byRecord(items)).map(([key, item]) => [key, item.event]));

describe('first activation and idle polls', () => {
	it('learns the current state with one request, emits nothing, then costs one request per idle poll', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();

		const first = await poll(trigger);
		expect(first.items).toBeNull();
		expect(first.requests).toHaveLength(1);
		expect(first.requests[0]).toMatchObject({ method: 'GET', query: { sinceSq: CURRENT_STATE_SINCE }, status: 200 });
		expect(tail(first.requests[0])).toBe('changes');
		expect(trigger.staticDataJson()).toEqual({
			'node:Ninox Trigger': {
				scope: `database:${TEAM}/${scenario.db.id}`,
				sequence: scenario.seq,
				nextRids: { A: 4, B: 3 },
				allTables: true,
			},
		});

		for (let i = 0; i < 3; i++) {
			const idle = await poll(trigger);
			expect(idle.items).toBeNull();
			expect(idle.requests).toHaveLength(1);
			expect(idle.requests[0].query).toEqual({ sinceSq: String(scenario.seq) });
		}
	});
});

describe('changes', () => {
	it('emits creates, updates and deletes across two tables once each, with the right event', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();
		await poll(trigger);

		const created = scenario.create('A', { Name: 'New', Kind: 'Company', Tags: ['Green', 'Blue'], Birthday: '2000-02-29' });
		scenario.update('A', 1, { Name: 'Ada L.' });
		scenario.update('A', 1, { Tags: ['Blue'] }); // two changes between polls: one item, the latest state
		scenario.remove('B', 1);
		const createdThenEdited = scenario.create('B', { Title: 'Third' });
		scenario.update('B', createdThenEdited, { Amount: 30 }); // created since the last poll: "created" only
		const createdThenDeleted = scenario.create('A', { Name: 'Gone' });
		scenario.remove('A', createdThenDeleted); // its fields are gone with it: "deleted" only
		scenario.update('A', 2, { Name: 'Brunel AG' });
		scenario.remove('A', 2);

		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({
			A1: 'updated',
			A2: 'deleted',
			[`A${created}`]: 'created',
			[`A${createdThenDeleted}`]: 'deleted',
			B1: 'deleted',
			[`B${createdThenEdited}`]: 'created',
		});
		const records = byRecord(items);
		const sequence = scenario.seq;
		expect(records.A4).toEqual({
			event: 'created',
			tableId: 'A',
			tableName: 'Customers',
			recordId: 4,
			sequence,
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			modifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			fields: { Name: 'New', Kind: 'Company', Tags: ['Green', 'Blue'], Birthday: '2000-02-29' },
		});
		expect(records.A4.fields).toEqual(scenario.fields('A', 4));
		expect(records.A1.fields).toEqual({ Name: 'Ada L.', Kind: 'Person', Tags: ['Blue'], Birthday: '1815-12-10' });
		expect(records[`B${createdThenEdited}`]).toMatchObject({ tableName: 'Orders', fields: { Title: 'Third', Amount: 30 } });
		expect(records.B1).toEqual({ event: 'deleted', tableId: 'B', tableName: 'Orders', recordId: 1, sequence });
		// the feed once, the schema once (field ids → names)
		expect(requests.map((r) => [r.method, tail(r), r.query])).toEqual([
			['GET', 'changes', { sinceSq: expect.any(String) }],
			['GET', 'tables', {}],
		]);

		const again = await poll(trigger);
		expect(again.items).toBeNull();
		expect(again.requests).toHaveLength(1);
	});

	it('table scope follows the table feed and ignores other tables', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger({ scope: 'table', table: locator('B') });
		const first = await poll(trigger);
		expect(first.requests.map((r) => [tail(r), r.query.sinceSq])).toEqual([['tables/B/changes', CURRENT_STATE_SINCE]]);
		expect(trigger.nodeStaticData()).toMatchObject({ scope: `table:${TEAM}/${scenario.db.id}/B`, nextRids: { B: 3 } });

		scenario.create('A', { Name: 'Elsewhere' });
		scenario.update('A', 1, { Name: 'Also elsewhere' });
		const other = await poll(trigger);
		expect(other.items).toBeNull();
		expect(other.requests.map(tail)).toEqual(['tables/B/changes']);

		scenario.update('B', 2, { Amount: 21 });
		scenario.create('A', { Name: 'Still elsewhere' });
		const own = await poll(trigger);
		expect(own.items).toEqual([
			expect.objectContaining({ event: 'updated', tableId: 'B', tableName: 'Orders', recordId: 2, fields: { Title: 'Second', Amount: 21 } }),
		]);
		expect(own.requests.map(tail)).toEqual(['tables/B/changes', 'tables/B']);
	});

	it('the events filter emits only the chosen events and still moves past the others', async () => {
		const scenario = new Scenario();
		const deletions = scenario.trigger({ events: ['deleted'] });
		const upserts = scenario.trigger({ events: ['created', 'updated'] });
		await poll(deletions);
		await poll(upserts);

		scenario.create('A', { Name: 'New' });
		scenario.update('B', 1, { Amount: 11 });
		scenario.remove('A', 3);

		expect(eventsOf((await poll(deletions)).items)).toEqual({ A3: 'deleted' });
		expect(eventsOf((await poll(upserts)).items)).toEqual({ A4: 'created', B1: 'updated' });

		// nothing the filter wants: no schema request, nothing emitted, nothing held back for later
		scenario.update('A', 1, { Name: 'Changed' });
		const skipped = await poll(deletions);
		expect(skipped.items).toBeNull();
		expect(skipped.requests).toHaveLength(1);
		expect(deletions.nodeStaticData().sequence).toBe(scenario.seq);
		expect((await poll(deletions)).items).toBeNull();
	});

	it('fields by id and the raw change entry, on request', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger({ options: { fieldKeys: 'id', includeRawChange: true } });
		await poll(trigger);
		scenario.update('A', 1, { Kind: 'Company' });
		scenario.remove('B', 2);

		const records = byRecord((await poll(trigger)).items);
		// values stay readable (choice captions, date strings); keys are the field ids
		expect(records.A1.fields).toEqual({ A: 'Ada', B: 'Company', C: ['Red'], D: '1815-12-10' });
		expect(records.A1.change).toEqual({
			_id: 'A1',
			_cu: expect.any(String),
			_cd: expect.any(Number),
			_mu: expect.any(String),
			_md: expect.any(Number),
			A: 'Ada',
			B: '2',
			C: ['1'],
			D: Date.UTC(1815, 11, 10),
		});
		expect(records.B2).toMatchObject({ event: 'deleted', change: { _id: 'B2' } });
	});
});

describe('manual mode (Fetch Test Event)', () => {
	it('returns the latest records as samples, without touching the cursor or reading the whole history', async () => {
		const scenario = new Scenario();
		for (let i = 0; i < 40; i++) scenario.create('B', { Title: `Order ${i}` });
		const trigger = scenario.trigger();
		await poll(trigger);
		const cursor = trigger.staticDataJson();
		scenario.update('A', 1, { Name: 'Latest but two' });
		scenario.update('B', 5, { Amount: 5 });
		scenario.update('A', 2, { Name: 'Latest' });
		scenario.remove('A', 3);

		const { items, requests } = await poll(trigger, 'manual');
		expect(items).toHaveLength(3);
		expect(items!.map((item) => `${item.tableId as string}${item.recordId as number}`)).toEqual(['A2', 'B5', 'A1']);
		for (const item of items!) {
			const record = server.store.getRecord(TEAM, scenario.db.id, item.tableId as string, item.recordId as number)!;
			// each sample carries its own record's sequence (the latest is below the deletion after it)
			expect(item).toMatchObject({ event: 'updated', sequence: record.sequence, tableName: expect.any(String) });
			expect(item.fields).toEqual(scenario.fields(item.tableId as string, item.recordId as number));
		}
		expect(items!.map((item) => item.sequence)).toEqual([scenario.seq - 1, scenario.seq - 2, scenario.seq - 3]);
		expect(trigger.staticDataJson()).toEqual(cursor);
		// the current state, a recent window of the feed, the schema, each sample's record: never the feed since 0
		expect(requests.map((r) => [tail(r), r.query.sinceSq])).toEqual([
			['changes', CURRENT_STATE_SINCE],
			['changes', String(scenario.seq - 8)],
			['tables', undefined],
			['tables/A/records/2', undefined],
			['tables/B/records/5', undefined],
			['tables/A/records/1', undefined],
		]);

		// the cursor still stands where it stood: the next real poll sees the changes
		expect(eventsOf((await poll(trigger)).items)).toEqual({ A1: 'updated', A2: 'updated', A3: 'deleted', B5: 'updated' });
	});

	it('works before the first activation and leaves the static data empty', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger({ scope: 'table', table: locator('A') });
		const { items, requests } = await poll(trigger, 'manual');
		expect(items!.map((item) => item.recordId).sort()).toEqual([1, 2, 3]);
		expect(items!.every((item) => item.tableId === 'A')).toBe(true);
		expect(requests.map(tail).slice(0, 3)).toEqual(['tables/A/changes', 'tables/A/changes', 'tables/A']);
		expect(trigger.nodeStaticData()).toEqual({});
	});

	it('honours Events: only the chosen kind of change is shown', async () => {
		const scenario = new Scenario();
		scenario.update('A', 1, { Name: 'Edited' });
		scenario.update('B', 2, { Amount: 22 });
		const fresh = scenario.create('B', { Title: 'Fresh' });
		scenario.remove('A', 3);

		const updated = await poll(scenario.trigger({ events: ['updated'] }), 'manual');
		expect(updated.items!.map((item) => [item.event, `${item.tableId as string}${item.recordId as number}`])).toEqual([
			['updated', 'B2'],
			['updated', 'A1'],
		]);
		const created = await poll(scenario.trigger({ events: ['created'] }), 'manual');
		expect(created.items!.map((item) => item.event)).toEqual(['created', 'created', 'created']);
		expect(created.items![0]).toMatchObject({ tableId: 'B', recordId: fresh, fields: { Title: 'Fresh' } });
		const deleted = await poll(scenario.trigger({ events: ['deleted'] }), 'manual');
		// Ninox keeps nothing of a deleted record but its ids: no fields, no sequence
		expect(deleted.items).toEqual([{ event: 'deleted', tableId: 'A', tableName: 'Customers', recordId: 3, sequence: null }]);

		await expect(scenario.trigger({ scope: 'table', table: locator('A'), events: ['deleted'] }).poll('manual')).resolves.toBeTruthy();
		await expect(scenario.trigger({ scope: 'table', table: locator('B'), events: ['deleted'] }).poll('manual')).rejects.toThrow(
			`There are no deleted records in table B of database ${scenario.db.id} to show as a test event`,
		);
	});

	it('an empty scope is a clear error', async () => {
		const scenario = new Scenario();
		scenario.db.addTable({ name: 'Empty', fields: [{ name: 'X', type: 'string' }] });
		const trigger = scenario.trigger({ scope: 'table', table: locator('C') });
		await expect(trigger.poll('manual')).rejects.toThrow(`There are no records in table C of database ${scenario.db.id} to show as a test event`);
		expect(trigger.nodeStaticData()).toEqual({});
	});
});

describe('restart and replay', () => {
	it('a restart from static data saved as JSON loses nothing and repeats nothing', async () => {
		const scenario = new Scenario();
		const first = scenario.trigger();
		await poll(first);
		const savedBeforeEmit = first.staticDataJson();
		scenario.create('A', { Name: 'Four' });
		expect(eventsOf((await poll(first)).items)).toEqual({ A4: 'created' });
		const saved = first.staticDataJson();

		scenario.update('A', 4, { Name: 'Four, edited' });
		scenario.create('A', { Name: 'Five' });
		scenario.remove('A', 1);
		// another worker takes over from what n8n persisted
		const second = scenario.trigger({}, JSON.parse(JSON.stringify(saved)) as IDataObject);
		const resumed = await poll(second);
		expect(eventsOf(resumed.items)).toEqual({ A1: 'deleted', A4: 'updated', A5: 'created' });
		expect(resumed.requests[0].query).toEqual({ sinceSq: String((saved['node:Ninox Trigger'] as IDataObject).sequence) });
		expect((await poll(second)).items).toBeNull();

		// replaying from an older saved cursor classifies the same way: A4 was created after that cursor
		const replay = scenario.trigger({}, savedBeforeEmit);
		expect(eventsOf((await poll(replay)).items)).toEqual({ A1: 'deleted', A4: 'created', A5: 'created' });
	});

	it('a changed scope is learned afresh instead of reusing the other scope\'s cursor', async () => {
		const scenario = new Scenario();
		const whole = scenario.trigger();
		await poll(whole);
		scenario.create('B', { Title: 'Before switching' });
		const switched = scenario.trigger({ scope: 'table', table: locator('B') }, whole.staticDataJson());
		const { items, requests } = await poll(switched);
		expect(items).toBeNull();
		expect(requests[0].query).toEqual({ sinceSq: CURRENT_STATE_SINCE });
	});
});

describe('a feed that goes backwards (database restored)', () => {
	/** Replaces the scenario's database by a "backup" with the same id and fewer changes. */
	function restore(scenario: Scenario, extraOrders = 0): Database {
		const team = server.store.team(TEAM);
		team.databases.delete(scenario.db.id);
		const restored = server.store.addDatabase(TEAM, { id: scenario.db.id, name: scenario.db.name });
		scenario.fill(restored);
		for (let i = 0; i < extraOrders; i++) server.store.insertRecords(TEAM, restored.id, 'B', [{ Title: `x${i}` }]);
		return restored;
	}

	it('is detected by a lower sequence: the cursor is reset, the poll fails once with an explanation', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();
		await poll(trigger);
		for (let i = 0; i < 5; i++) scenario.create('A', { Name: `n${i}` });
		await poll(trigger);
		const before = trigger.nodeStaticData().sequence as number;

		const restored = restore(scenario);
		expect(restored.seq).toBeLessThan(before);
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
		try {
			await expect(trigger.poll()).rejects.toThrow(
				`The change feed of database ${scenario.db.id} went back from sequence ${before} to ${restored.seq}`,
			);
			expect(warn).toHaveBeenCalledWith(expect.stringContaining(`following it from ${restored.seq} on`));
		} finally {
			warn.mockRestore();
		}
		expect(trigger.nodeStaticData()).toMatchObject({ sequence: restored.seq, nextRids: { A: 4, B: 3 } });

		server.store.insertRecords(TEAM, restored.id, 'A', [{ Name: 'After the restore' }]);
		expect(eventsOf((await poll(trigger)).items)).toEqual({ A4: 'created' });
	});

	it('is detected by a lower next record id even when the sequence has caught up', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();
		await poll(trigger);
		for (let i = 0; i < 5; i++) scenario.create('A', { Name: `n${i}` });
		await poll(trigger);
		const before = trigger.nodeStaticData().sequence as number;

		const restored = restore(scenario, 20);
		expect(restored.seq).toBeGreaterThan(before);
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
		try {
			await expect(trigger.poll()).rejects.toThrow(
				`The change feed of database ${scenario.db.id} went back: table A hands out record ID 4 again (it was at 9)`,
			);
			expect(warn).toHaveBeenCalledTimes(1);
		} finally {
			warn.mockRestore();
		}
		expect(trigger.nodeStaticData()).toMatchObject({ sequence: restored.seq, nextRids: { A: 4, B: 23 } });
		expect((await poll(trigger)).items).toBeNull();
	});
});

describe('errors keep the cursor', () => {
	it('a 429 fails the poll with the rate-limit error; the cursor stays and the next poll recovers', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();
		await poll(trigger);
		scenario.create('A', { Name: 'Four' });
		const cursor = trigger.staticDataJson();

		server.faults.add({ kind: '429', retryAfterSeconds: 0, times: 100 });
		server.clearLog();
		const error = await trigger.poll().catch((e: unknown) => e as Error & { httpCode?: string });
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect((error as Error).message).toBe('Ninox rate limit reached (429 Too Many Requests)');
		expect(server.requests.every((r) => r.status === 429)).toBe(true);
		expect(trigger.staticDataJson()).toEqual(cursor);

		server.faults.clear();
		expect(eventsOf((await poll(trigger)).items)).toEqual({ A4: 'created' });
	});

	it('a 503 on the schema read fails the poll after the retries; nothing is lost or repeated', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();
		await poll(trigger);
		scenario.remove('B', 1);
		const cursor = trigger.staticDataJson();

		server.faults.add({ kind: '503', times: 100, match: { path: /\/tables$/ } });
		server.clearLog();
		mockSleeps.length = 0;
		const error = await trigger.poll().catch((e: unknown) => e as Error & { httpCode?: string });
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
		expect(server.requests.map((r) => [tail(r), r.status])).toEqual([
			['changes', 200],
			...Array.from({ length: 6 }, () => ['tables', 503]),
		]);
		expect(mockSleeps).toHaveLength(5); // the transport backed off between its attempts
		expect(trigger.staticDataJson()).toEqual(cursor);

		server.faults.clear();
		scenario.create('B', { Title: 'Meanwhile' });
		expect(eventsOf((await poll(trigger)).items)).toEqual({ B1: 'deleted', B3: 'created' });
		expect((await poll(trigger)).items).toBeNull();
	});

	it('a single 503 on the feed is retried within the poll', async () => {
		const scenario = new Scenario();
		const trigger = scenario.trigger();
		await poll(trigger);
		scenario.update('A', 2, { Kind: 'Person' });
		server.faults.add({ kind: '503', times: 1 });
		const { items, requests } = await poll(trigger);
		expect(eventsOf(items)).toEqual({ A2: 'updated' });
		expect(requests.map((r) => r.status)).toEqual([503, 200, 200]);
	});
});

describe('randomized: 1 000 creates, updates and deletes interleaved with polls and restarts', () => {
	/**
	 * The contract, checked at every poll against what really happened since the previous one:
	 * - a poll emits exactly the records changed since the previous poll, one item each;
	 * - the event is `created` for a record created since then (however often it was edited), `updated` for one that
	 *   existed before, `deleted` for one deleted since then (also when it was created since then: it is gone);
	 * - a record's item carries its state at the time of the poll (its final state if nothing changes after);
	 * so every record that lived to see a poll is seen as `created` exactly once, every delete exactly once, and
	 * nothing is emitted twice. The trigger is restarted from its JSON static data now and then.
	 */
	it('emits every change once, with its latest state', async () => {
		const scenario = new Scenario();
		const random = prng(20240601);
		const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
		let trigger = scenario.trigger();
		await poll(trigger);

		const alive = new Map<string, { tableId: string; recordId: number }>();
		for (const recordId of [1, 2, 3]) alive.set(`A${recordId}`, { tableId: 'A', recordId });
		for (const recordId of [1, 2]) alive.set(`B${recordId}`, { tableId: 'B', recordId });
		let pending = new Map<string, string>();
		const createdSeen = new Map<string, number>();
		const deletedSeen = new Map<string, number>();
		const everCreated = new Set<string>();
		const everDeleted = new Set<string>();
		/** Created and deleted again between two polls: there never was a state to show, only the deletion. */
		const goneBeforeSeen = new Set<string>();
		let polls = 0;
		let restarts = 0;

		async function check(): Promise<void> {
			const { items, requests } = await poll(trigger);
			polls++;
			const records = byRecord(items);
			expect(eventsOf(items)).toEqual(Object.fromEntries(pending));
			expect(requests).toHaveLength(pending.size ? 2 : 1);
			for (const [key, item] of Object.entries(records)) {
				if (item.event === 'created') createdSeen.set(key, (createdSeen.get(key) ?? 0) + 1);
				if (item.event === 'deleted') deletedSeen.set(key, (deletedSeen.get(key) ?? 0) + 1);
				if (item.event !== 'deleted') expect(item.fields).toEqual(scenario.fields(item.tableId as string, item.recordId as number));
			}
			pending = new Map();
			if (random() < 0.15) {
				trigger = scenario.trigger({}, trigger.staticDataJson());
				restarts++;
			}
		}

		let untilPoll = 1 + Math.floor(random() * 20);
		for (let op = 0; op < 1000; op++) {
			const roll = random();
			if (alive.size === 0 || roll < 0.4) {
				const tableId = pick(['A', 'B']);
				const fields = tableId === 'A' ? { Name: `c${op} ü`, Kind: pick(['Person', 'Company']) } : { Title: `o${op}`, Amount: op };
				const recordId = scenario.create(tableId, fields);
				const key = `${tableId}${recordId}`;
				alive.set(key, { tableId, recordId });
				everCreated.add(key);
				pending.set(key, 'created');
			} else if (roll < 0.75) {
				const [key, { tableId, recordId }] = pick([...alive.entries()]);
				scenario.update(tableId, recordId, tableId === 'A' ? { Tags: [pick(['Red', 'Green', 'Blue'])] } : { Amount: op });
				if (pending.get(key) !== 'created') pending.set(key, 'updated');
			} else {
				const [key, { tableId, recordId }] = pick([...alive.entries()]);
				scenario.remove(tableId, recordId);
				alive.delete(key);
				everDeleted.add(key);
				if (pending.get(key) === 'created') goneBeforeSeen.add(key);
				pending.set(key, 'deleted');
			}
			if (--untilPoll === 0) {
				await check();
				if (random() < 0.2) await check(); // an idle poll: nothing, one request
				untilPoll = 1 + Math.floor(random() * 20);
			}
		}
		await check();

		expect(polls).toBeGreaterThan(50);
		expect(restarts).toBeGreaterThan(3);
		for (const key of everDeleted) expect(deletedSeen.get(key)).toBe(1);
		for (const key of everCreated) expect(createdSeen.get(key) ?? 0).toBe(goneBeforeSeen.has(key) ? 0 : 1);
		expect(everCreated.size).toBeGreaterThan(300);
		expect(goneBeforeSeen.size).toBeGreaterThan(0);
	});
});
