/**
 * Peak memory of listing a large table, per contender. Each contender runs in a fresh child process against the
 * benchmark's server, so the figures are the client's alone and one contender's heap growth cannot hide
 * another's. The child warms up on the small table first (n8n-core loads lazily), collects garbage, then samples
 * `process.memoryUsage()` every few milliseconds while it lists the large table.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { Connection, Contender, ListScenario } from './workloads';
import { listWorkload } from './workloads';

export interface MemoryRequest {
	contender: Contender;
	connection: Connection;
	scenario: ListScenario;
	/** The list workload's full size and its small table (the warm-up). */
	size: number;
	warmUpSize: number;
}

export interface MemoryResult {
	contender: Contender;
	records: number;
	peakRssDelta: number;
	peakHeapDelta: number;
	/** Heap growth at the end of the run, while the listed records are still referenced. */
	finalHeapDelta: number;
}

const RESULT_MARKER = 'BENCH_MEMORY_RESULT ';
const SAMPLE_EVERY_MS = 2;

/** In the child: measures one contender listing `size` records. */
export async function measureHere(request: MemoryRequest, gc: () => void): Promise<MemoryResult> {
	const workload = listWorkload(request.size, request.warmUpSize);
	const run = workload.run[request.contender];
	await run(request.connection, request.scenario, request.warmUpSize);
	gc();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sample = () => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
		return now;
	};
	const timer = setInterval(sample, SAMPLE_EVERY_MS);
	const output = await run(request.connection, request.scenario, request.size);
	clearInterval(timer);
	const after = sample();
	if (output.length !== request.size) throw new Error(`listed ${output.length} of ${request.size} records`);
	return {
		contender: request.contender,
		records: output.length,
		peakRssDelta: peakRss - before.rss,
		peakHeapDelta: peakHeap - before.heapUsed,
		finalHeapDelta: after.heapUsed - before.heapUsed,
	};
}

export function printResult(result: MemoryResult): void {
	process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

/** In the benchmark process: runs the child for one contender (the server must keep answering meanwhile). */
export async function measureInChild(request: MemoryRequest): Promise<MemoryResult> {
	const child = spawn(
		process.execPath,
		[
			'--expose-gc',
			'-r',
			require.resolve('ts-node/register/transpile-only'),
			join(__dirname, 'memoryChild.ts'),
			JSON.stringify(request),
		],
		{ stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
	);
	let stdout = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_MARKER));
	if (code !== 0 || !line) throw new Error(`the memory measurement of ${request.contender} failed (exit code ${code})`);
	return JSON.parse(line.slice(RESULT_MARKER.length)) as MemoryResult;
}
