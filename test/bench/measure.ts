/**
 * Runs a workload's contenders side by side: interleaved repetitions (the order rotates each round), each run
 * from the same freshly seeded state, timed around the run only, its requests counted from the server's log.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { NinoxServer } from '../server';
import { startNinoxServer } from '../server';
import type { Ninox4Server } from '../server4';
import { startNinox4Server } from '../server4';
import type { Connection, Contender, Workload } from './workloads';
import { CONTENDERS } from './workloads';

export interface RunSample {
	ms: number;
	/** Time the server spent on the run's requests, the 20 ms latency included (they run one after another). */
	httpMs: number;
	requests: number;
}

export interface ContenderResult {
	contender: Contender;
	/** Records the runs handled (the per-item sample may be smaller than the workload). */
	n: number;
	samples: RunSample[];
}

export interface WorkloadResult {
	workload: Workload;
	results: Record<Contender, ContenderResult>;
}

export interface MeasureOptions {
	repetitions: number;
	latencyMs: number;
	log: (line: string) => void;
	/** Called while the state of a read-only workload is still up (the list's memory measurement uses it). */
	withReadOnlyState?: (workload: Workload, server: BenchServer, scenario: unknown) => Promise<void>;
}

/** The local server of either generation. */
export type BenchServer = NinoxServer | Ninox4Server;

/** What both servers log of a request. */
interface LoggedRequest {
	method: string;
	rawPath: string;
	status: number;
	durationMs: number;
}

function requestLog(server: BenchServer): LoggedRequest[] {
	return 'requests' in server ? server.requests : server.log;
}

/** A full collection between runs, so one run's garbage is not collected on the next one's time. */
const collectGarbage: () => void = (() => {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as unknown;
	return typeof gc === 'function' ? (gc as () => void) : () => undefined;
})();

export function connectionTo(server: BenchServer): Connection {
	return 'token' in server
		? { url: server.url, token: server.token }
		: { url: server.url, token: server.key, workspaceId: server.workspaceId };
}

async function seededServer(workload: Workload, latencyMs: number): Promise<{ server: BenchServer; scenario: unknown }> {
	const server: BenchServer =
		workload.api === 'ninox4'
			? await startNinox4Server({ latencyMs, seed: 'empty' })
			: await startNinoxServer({ latencyMs, seed: 'empty' });
	try {
		const scenario = await workload.setup(server as never, connectionTo(server));
		return { server, scenario };
	} catch (error) {
		await server.close();
		throw error;
	}
}

async function timedRun(
	workload: Workload,
	contender: Contender,
	server: BenchServer,
	scenario: unknown,
	n: number,
): Promise<RunSample> {
	collectGarbage();
	server.clearLog();
	const start = performance.now();
	const output = await workload.run[contender](connectionTo(server), scenario, n);
	const ms = performance.now() - start;
	const log = requestLog(server);
	const failed = log.filter((request) => request.status < 200 || request.status >= 300);
	if (failed.length) {
		const first = failed[0];
		throw new Error(
			`${workload.id}/${contender}: ${failed.length} requests failed, first ${first.method} ${first.rawPath} → ${first.status}`,
		);
	}
	workload.verify(server as never, scenario, contender, n, output);
	const httpMs = log.reduce((sum, request) => sum + request.durationMs, 0);
	return { ms, httpMs, requests: log.length };
}

export async function measureWorkload(workload: Workload, options: MeasureOptions): Promise<WorkloadResult> {
	const results = Object.fromEntries(
		CONTENDERS.map((contender) => [
			contender,
			{ contender, n: contender === 'perItem' ? workload.perItemSize : workload.size, samples: [] },
		]),
	) as unknown as Record<Contender, ContenderResult>;

	const shared = workload.readOnly ? await seededServer(workload, options.latencyMs) : undefined;
	try {
		const repetitions = Math.min(options.repetitions, workload.maxRepetitions ?? options.repetitions);
		for (let repetition = 0; repetition < repetitions; repetition++) {
			const order = CONTENDERS.map((_, i) => CONTENDERS[(i + repetition) % CONTENDERS.length]);
			for (const contender of order) {
				const { n } = results[contender];
				const state = shared ?? (await seededServer(workload, options.latencyMs));
				try {
					const sample = await timedRun(workload, contender, state.server, state.scenario, n);
					results[contender].samples.push(sample);
					options.log(
						`  ${workload.id} #${repetition + 1} ${contender.padEnd(7)} n=${n}: ${sample.ms.toFixed(0)} ms, ${sample.requests} requests`,
					);
				} finally {
					if (!shared) await state.server.close();
				}
			}
		}
		if (shared && options.withReadOnlyState) await options.withReadOnlyState(workload, shared.server, shared.scenario);
	} finally {
		await shared?.server.close();
	}
	return { workload, results };
}

// ─── statistics ────────────────────────────────────────────────────────────

export interface Stats {
	median: number;
	min: number;
	max: number;
}

export function stats(values: number[]): Stats {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}
