/** Turns the measurements into goal verdicts and the markdown written to the console and BENCHMARKS.md. */
import { cpus, loadavg, totalmem } from 'node:os';

import type { MemoryResult } from './memory';
import type { ContenderResult, Stats, WorkloadResult } from './measure';
import { stats } from './measure';
import type { Contender, Workload } from './workloads';
import { fmt } from './workloads';

/** Ours may take at most this much longer than the bound on a batched workload. */
export const TIME_GOAL = 1.15;

export interface Row {
	workload: Workload;
	/** Requests of each contender at the workload's full size (per-item extrapolated when sampled). */
	requests: Record<Contender, number>;
	/** Wall time at the full size (per-item extrapolated when sampled). */
	time: Record<Contender, Stats>;
	/** Median time in HTTP (server and latency) and outside it (the client: engine, node, parsing), per contender. */
	split: Record<Contender, { httpMs: number; clientMs: number }>;
	/** Per-item ran on a sample: the extrapolation factor. */
	perItemFactor: number;
	perItemSampleRequests: number;
	oursOverBound: number;
	/** Ours against the same requests sent from a bare node in n8n's engine: what our node adds. */
	oursOverFloor: number;
	/** The floor against the bound: what n8n's engine and HTTP helper add. */
	floorOverBound: number;
	perItemOverOurs: number;
	/** Ours' request count the goal allows, and whether every run met it. */
	requestGoal: { expected: number; met: boolean; problem?: string };
	timeGoalMet?: boolean;
}

/** A contender's request count, the same in every run (the runs are deterministic); a spread is a finding. */
function requestsOf(result: ContenderResult): { count: number; problem?: string } {
	const counts = [...new Set(result.samples.map((sample) => sample.requests))];
	return counts.length === 1
		? { count: counts[0] }
		: { count: Math.max(...counts), problem: `request counts differ between runs: ${counts.join(', ')}` };
}

export function evaluate({ workload, results }: WorkloadResult): Row {
	const factor = workload.perItemSize === workload.size ? 1 : workload.size / workload.perItemSize;
	const ours = requestsOf(results.ours);
	const floor = requestsOf(results.floor);
	const bound = requestsOf(results.bound);
	const perItem = requestsOf(results.perItem);
	let perItemRequests = perItem.count;
	const problems = [ours.problem, floor.problem, bound.problem, perItem.problem].filter(Boolean) as string[];
	if (floor.count !== bound.count) problems.push(`the floor sent ${floor.count} requests, the bound ${bound.count}`);
	if (factor !== 1) {
		const formula = workload.perItemRequests;
		if (!formula) throw new Error(`${workload.id}: per-item is sampled but has no request formula to extrapolate`);
		if (formula(workload.perItemSize) !== perItem.count) {
			problems.push(`per-item sent ${perItem.count} requests for ${workload.perItemSize} records, not ${formula(workload.perItemSize)}`);
		}
		perItemRequests = formula(workload.size);
	}

	const time = {
		ours: stats(results.ours.samples.map((sample) => sample.ms)),
		floor: stats(results.floor.samples.map((sample) => sample.ms)),
		bound: stats(results.bound.samples.map((sample) => sample.ms)),
		perItem: stats(results.perItem.samples.map((sample) => sample.ms * factor)),
	};
	const split = (result: ContenderResult, scale: number) => ({
		httpMs: stats(result.samples.map((sample) => sample.httpMs * scale)).median,
		clientMs: stats(result.samples.map((sample) => (sample.ms - sample.httpMs) * scale)).median,
	});
	const expected = workload.oursRequestGoal ?? bound.count + (workload.schemaReads ?? 0);
	const oursOverBound = time.ours.median / time.bound.median;
	return {
		workload,
		requests: { ours: ours.count, floor: floor.count, bound: bound.count, perItem: perItemRequests },
		time,
		split: {
			ours: split(results.ours, 1),
			floor: split(results.floor, 1),
			bound: split(results.bound, 1),
			perItem: split(results.perItem, factor),
		},
		perItemFactor: factor,
		perItemSampleRequests: perItem.count,
		oursOverBound,
		oursOverFloor: time.ours.median / time.floor.median,
		floorOverBound: time.floor.median / time.bound.median,
		perItemOverOurs: time.perItem.median / time.ours.median,
		requestGoal: {
			expected,
			met: problems.length === 0 && results.ours.samples.every((sample) => sample.requests === expected),
			problem: problems.join('; ') || undefined,
		},
		// judged on the ratio as shown (two decimals): the runs are nowhere near more precise than that
		timeGoalMet: workload.batched ? Number(oursOverBound.toFixed(2)) <= TIME_GOAL : undefined,
	};
}

// ─── markdown ──────────────────────────────────────────────────────────────

function seconds(ms: number): string {
	if (ms >= 100_000) return `${(ms / 1000).toFixed(0)} s`;
	if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function timeCell({ median, min, max }: Stats): string {
	return `${seconds(median)} (${seconds(min)}–${seconds(max)})`;
}

function ratio(value: number): string {
	return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}

function requestCell(row: Row): string {
	const extra = row.workload.schemaReads;
	const goal = row.requestGoal.met ? '✓' : `✗ goal ${fmt(row.requestGoal.expected)}`;
	const note = extra && row.requestGoal.met ? ` (bound + ${extra} schema read)` : '';
	return `${fmt(row.requests.ours)} ${goal}${note}`;
}

export function renderTable(rows: Row[]): string {
	const lines = [
		'| Workload | Requests: ours | bound | per-item | Time: ours | floor | bound | per-item | Ours ÷ bound | Ours ÷ floor | Floor ÷ bound | Per-item ÷ ours |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const row of rows) {
		const sampled = row.perItemFactor !== 1;
		const perItemRequests = sampled ? `≈ ${fmt(row.requests.perItem)}*` : fmt(row.requests.perItem);
		const perItemTime = sampled ? `≈ ${timeCell(row.time.perItem)}*` : timeCell(row.time.perItem);
		const timeGoal = row.timeGoalMet === undefined ? '' : row.timeGoalMet ? ' ✓' : ` ✗ goal ≤ ${TIME_GOAL}×`;
		lines.push(
			`| ${row.workload.title} | ${requestCell(row)} | ${fmt(row.requests.bound)} | ${perItemRequests} | ` +
				`${timeCell(row.time.ours)} | ${timeCell(row.time.floor)} | ${timeCell(row.time.bound)} | ${perItemTime} | ` +
				`${ratio(row.oursOverBound)}${timeGoal} | ${ratio(row.oursOverFloor)} | ${ratio(row.floorOverBound)} | ` +
				`${ratio(row.perItemOverOurs)} |`,
		);
	}
	const sampled = rows.filter((row) => row.perItemFactor !== 1);
	if (sampled.length) {
		lines.push(
			'',
			'\\* Per-item extrapolated linearly from a measured sample: ' +
				sampled
					.map((row) => `${row.workload.id} ${fmt(row.workload.perItemSize)} records (${fmt(row.perItemSampleRequests)} requests, ×${+row.perItemFactor.toFixed(2)})`)
					.join('; ') +
				'. Its request count comes from its formula, checked against the sample.',
		);
	}
	return lines.join('\n');
}

/** Where the time goes: in HTTP (the server's handling plus its latency) and in the client process. */
export function renderSplit(rows: Row[]): string {
	const lines = [
		'| Workload | Ours: HTTP | Ours: client | Floor: HTTP | Floor: client | Bound: HTTP | Bound: client | Per-item: client per request |',
		'|---|---|---|---|---|---|---|---|',
	];
	for (const row of rows) {
		const { ours, floor, bound, perItem } = row.split;
		lines.push(
			`| ${row.workload.title} | ${seconds(ours.httpMs)} | ${seconds(ours.clientMs)} | ${seconds(floor.httpMs)} | ` +
				`${seconds(floor.clientMs)} | ${seconds(bound.httpMs)} | ${seconds(bound.clientMs)} | ` +
				`${(perItem.clientMs / row.requests.perItem).toFixed(1)} ms |`,
		);
	}
	return lines.join('\n');
}

function megabytes(bytes: number): string {
	const value = bytes / 1024 / 1024;
	return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} MB`;
}

export function renderMemory(memory: MemoryResult[], records: number): string {
	const lines = [
		`Peak memory of the client process while listing all of ${fmt(records)} records (each contender in a fresh`,
		'process, warmed up on a smaller table first; the server runs in the benchmark process; deltas against the',
		'process after a full garbage collection just before the run; the run is untimed and the latency 0 ms):',
		'',
		'| Contender | Peak RSS delta | Peak heap delta | Heap after the run (results still held) |',
		'|---|---|---|---|',
	];
	for (const result of memory) {
		lines.push(
			`| ${result.contender} | ${megabytes(result.peakRssDelta)} | ${megabytes(result.peakHeapDelta)} | ${megabytes(result.finalHeapDelta)} |`,
		);
	}
	return lines.join('\n');
}

export interface Machine {
	cpu: string;
	cores: number;
	memory: string;
	node: string;
	n8nCore: string;
	n8nWorkflow: string;
}

export function machine(): Machine {
	const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
	return {
		cpu: cpus()[0]?.model.trim() ?? 'unknown',
		cores: cpus().length,
		memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
		node: process.version,
		n8nCore: version('n8n-core'),
		n8nWorkflow: version('n8n-workflow'),
	};
}

export function loadAverage(): string {
	return loadavg()
		.map((load) => load.toFixed(2))
		.join(', ');
}

export function goalMisses(rows: Row[]): string[] {
	return rows
		.filter((row) => !row.requestGoal.met)
		.map(
			(row) =>
				`${row.workload.id}: ours sent ${row.requests.ours} requests, the goal is ${row.requestGoal.expected}` +
				(row.requestGoal.problem ? ` (${row.requestGoal.problem})` : ''),
		);
}
