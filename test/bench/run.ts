/**
 * `npm run bench`: every workload, three contenders side by side (ours, bound, per-item) against the local Ninox
 * server with 20 ms latency per request; prints a markdown table and writes BENCHMARKS.md.
 * `npm run bench -- --quick`: 1/20 of the sizes and 3 repetitions for CI (memory of ours only); writes nothing
 * into the repository (the report goes to a temporary file) and exits non-zero when a request-count goal is missed.
 * `--only create,list` runs some workloads (development; never writes BENCHMARKS.md).
 */
import './env';

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { shutdownEngine } from '../harness/engine';
import { renderDocument } from './document';
import { LATENCY_MS } from './latency';
import type { MemoryResult } from './memory';
import { measureInChild } from './memory';
import type { WorkloadResult } from './measure';
import { connectionTo, measureWorkload } from './measure';
import { evaluate, goalMisses, loadAverage, machine, renderMemory, renderSplit, renderTable } from './report';
import type { ListScenario } from './workloads';
import { buildWorkloads, CONTENDERS, FULL_SIZES, QUICK_SIZES } from './workloads';


interface Arguments {
	quick: boolean;
	repetitions?: number;
	only?: string[];
	memory: boolean;
}

function parseArguments(argv: string[]): Arguments {
	const args: Arguments = { quick: false, memory: true };
	for (let i = 0; i < argv.length; i++) {
		const argument = argv[i];
		if (argument === '--quick') args.quick = true;
		else if (argument === '--no-memory') args.memory = false;
		else if (argument === '--repetitions') args.repetitions = Number(argv[++i]);
		else if (argument === '--only') args.only = argv[++i].split(',');
		else throw new Error(`Unknown argument ${argument}. Use --quick, --repetitions n, --only a,b, --no-memory.`);
	}
	if (args.repetitions !== undefined && !(args.repetitions >= 1)) throw new Error('--repetitions needs a number ≥ 1');
	return args;
}

async function main(): Promise<number> {
	const args = parseArguments(process.argv.slice(2));
	const sizes = args.quick ? QUICK_SIZES : FULL_SIZES;
	const repetitions = args.repetitions ?? (args.quick ? 3 : 5);
	const workloads = buildWorkloads(sizes).filter((workload) => !args.only || args.only.includes(workload.id));
	if (!workloads.length) throw new Error(`No workload named ${args.only?.join(', ')}`);
	const log = (line: string) => process.stderr.write(line + '\n');

	const started = performance.now();
	const loadBefore = loadAverage();
	const results: WorkloadResult[] = [];
	const memory: MemoryResult[] = [];
	for (const workload of workloads) {
		log(`${workload.title}`);
		results.push(
			await measureWorkload(workload, {
				repetitions,
				latencyMs: LATENCY_MS,
				log,
				withReadOnlyState: async (listed, server, scenario) => {
					if (listed.id !== 'list' || !args.memory) return;
					server.setLatency(0);
					// Quick mode only proves the measurement still works: one child process instead of three.
					for (const contender of args.quick ? CONTENDERS.slice(0, 1) : CONTENDERS) {
						log(`  memory: ${contender} lists ${listed.size} records in a child process`);
						memory.push(
							await measureInChild({
								contender,
								connection: connectionTo(server),
								scenario: scenario as ListScenario,
								size: listed.size,
								warmUpSize: listed.perItemSize,
							}),
						);
					}
					server.setLatency(LATENCY_MS);
				},
			}),
		);
	}
	const durationMs = performance.now() - started;

	const rows = results.map(evaluate);
	const table = renderTable(rows);
	const split = renderSplit(rows);
	const listed = workloads.find((workload) => workload.id === 'list');
	const memoryTable = memory.length && listed ? renderMemory(memory, listed.size) : '';
	process.stdout.write(`\n${table}\n\n${split}\n\n${memoryTable}\n`);

	const document = renderDocument({
		rows,
		table,
		split,
		memoryTable,
		machine: machine(),
		loadBefore,
		loadAfter: loadAverage(),
		durationMs,
		repetitions,
		latencyMs: LATENCY_MS,
		quick: args.quick,
		sizes,
	});
	const fullRun = !args.quick && !args.only && args.repetitions === undefined && args.memory;
	const target = fullRun ? join(__dirname, '..', '..', 'BENCHMARKS.md') : join(tmpdir(), 'ninox-bench-report.md');
	writeFileSync(target, document);
	log(`\nWrote ${target} (${(durationMs / 1000).toFixed(0)} s; load average before ${loadBefore}, after ${loadAverage()})`);

	const misses = goalMisses(rows);
	for (const miss of misses) log(`REQUEST GOAL MISSED: ${miss}`);
	return misses.length ? 1 : 0;
}

main()
	.then((code) => {
		process.exitCode = code;
	})
	.catch((error: unknown) => {
		console.error(error);
		process.exitCode = 2;
	})
	.finally(() => shutdownEngine());
