/**
 * The benchmark at a tiny scale, so it cannot rot between full runs: every workload runs once per contender
 * (each run is verified on the server), the request counts are the ones the API allows, and the report renders.
 */
import { shutdownEngine } from '../harness/engine';
import { renderDocument } from './document';
import type { WorkloadResult } from './measure';
import { measureWorkload, stats } from './measure';
import type { Row } from './report';
import { evaluate, goalMisses, machine, renderSplit, renderTable } from './report';
import type { Sizes } from './workloads';
import { buildWorkloads } from './workloads';

const TINY: Sizes = {
	create: 1_200,
	upsertById: 1_200,
	upsertByField: 60,
	upsertByFieldTable: 1_100,
	update: 1_200,
	delete: 1_200,
	list: 2_500,
	triggerTable: 20,
	triggerChanges: 30,
	ninox4TriggerTable: 150,
	files: 3,
	fileBytes: 10_000,
	perItem: { writes: 5, upsertByField: 4, list: 300, files: 2 },
};

/** Requests of the bound at the TINY sizes: full batches and pages of 1000, a list ends at a short page. */
const BOUND_REQUESTS: Record<string, number> = {
	create: 2,
	upsertById: 2,
	upsertByField: 3, // pages of 1000 and 100, one write of 60
	update: 2,
	delete: 2,
	list: 3, // 1000 + 1000 + 500
	triggerIdle: 1,
	triggerChanges: 1,
	files: 6, // a download and an upload per file
	create4: 1, // Ninox 4: as many records per body as 6 MB allow
	update4: 1,
	upsert4: 1,
	delete4: 1,
	list4: 25, // Ninox 4's pages hold 100 records at most; has_more ends the list without an empty page
	trigger4Idle: 1,
	trigger4Changes: 3, // one page of the feed, then the table's 2 pages (fewer than 27 record reads)
};

/** Per-item at the sample sizes: one request per record, two for the match-field upsert and per file. */
const PER_ITEM_SAMPLE_REQUESTS: Record<string, number> = {
	create: 5,
	upsertById: 5,
	upsertByField: 8,
	update: 5,
	delete: 5,
	list: 4, // 300 records in default pages of 100, then an empty page
	triggerIdle: 3, // one empty page per table
	triggerChanges: 3, // fewer than 100 changed records per table
	files: 4,
	create4: 5,
	update4: 5,
	upsert4: 5,
	delete4: 5,
	list4: 3, // 300 records in pages of 100
	trigger4Idle: 1, // the feed's one empty page
	trigger4Changes: 28, // the feed, then one read per changed record still there
};

let results: WorkloadResult[];
let rows: Row[];

beforeAll(async () => {
	results = [];
	for (const workload of buildWorkloads(TINY)) {
		results.push(await measureWorkload(workload, { repetitions: 1, latencyMs: 0, log: () => undefined }));
	}
	rows = results.map(evaluate);
}, 240_000);
afterAll(() => shutdownEngine());

test('every workload ran for every contender, once each', () => {
	expect(results.map(({ workload }) => workload.id)).toEqual(Object.keys(BOUND_REQUESTS));
	for (const { results: byContender } of results) {
		for (const result of Object.values(byContender)) expect(result.samples).toHaveLength(1);
	}
});

test('the bound sends the batches and pages the API allows, and the floor sends the same', () => {
	const bound = Object.fromEntries(rows.map((row) => [row.workload.id, row.requests.bound]));
	expect(bound).toEqual(BOUND_REQUESTS);
	const floor = Object.fromEntries(rows.map((row) => [row.workload.id, row.requests.floor]));
	expect(floor).toEqual(BOUND_REQUESTS);
});

test('per-item sends one request per record on its sample, and extrapolates by its formula', () => {
	const sampled = Object.fromEntries(rows.map((row) => [row.workload.id, row.perItemSampleRequests]));
	expect(sampled).toEqual(PER_ITEM_SAMPLE_REQUESTS);
	const create = rows.find((row) => row.workload.id === 'create')!;
	expect(create.requests.perItem).toBe(TINY.create);
	expect(create.perItemFactor).toBe(TINY.create / TINY.perItem.writes);
});

test('ours meets the request goals: the bound, plus one schema read where the node needs the schema', () => {
	expect(goalMisses(rows)).toEqual([]);
	const ours = Object.fromEntries(rows.map((row) => [row.workload.id, row.requests.ours]));
	expect(ours).toEqual({
		create: 3,
		upsertById: 3,
		upsertByField: 4,
		update: 3,
		delete: 2,
		list: 3,
		triggerIdle: 1,
		triggerChanges: 2,
		files: 6,
		create4: 2,
		update4: 2,
		upsert4: 2,
		delete4: 1,
		list4: 25,
		trigger4Idle: 1,
		trigger4Changes: 3,
	});
});

test('the report names every workload, its goals and the machine', () => {
	const table = renderTable(rows);
	const document = renderDocument({
		rows,
		table,
		split: renderSplit(rows),
		memoryTable: '',
		machine: machine(),
		loadBefore: '0.00, 0.00, 0.00',
		loadAfter: '0.00, 0.00, 0.00',
		durationMs: 1000,
		repetitions: 1,
		latencyMs: 0,
		quick: true,
		sizes: TINY,
	});
	for (const row of rows) expect(table).toContain(`| ${row.workload.title} |`);
	expect(table.split('\n')).toHaveLength(2 + rows.length + 2);
	expect(document).toContain('## Goals');
	expect(document).toContain(`n8n-core ${machine().n8nCore}`);
	expect(document).toContain('**The idle poll is one request:** met (triggerIdle, trigger4Idle).');
	expect(document).toContain('## Ninox 4');
	for (const row of rows.filter((each) => each.workload.api === 'ninox4')) expect(document).toContain(`| ${row.workload.title} | ${row.requests.ours} /`);
});

test('one request more than the goal is a miss (what makes --quick fail in CI)', () => {
	const create = results.find(({ workload }) => workload.id === 'create')!;
	const sample = create.results.ours.samples[0];
	const oneMore: WorkloadResult = {
		...create,
		results: { ...create.results, ours: { ...create.results.ours, samples: [{ ...sample, requests: sample.requests + 1 }] } },
	};
	expect(goalMisses([evaluate(oneMore)])).toEqual(['create: ours sent 4 requests, the goal is 3']);
});

test('stats give the median, min and max', () => {
	expect(stats([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
	expect(stats([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
});
