/**
 * The measurement behind the Ninox 4 Trigger's PAGE_READ_COST (nodes/Ninox4Trigger/values.ts): how long one
 * record read (`GET …/record/{id}`) and one page of 100 (`GET …/records?offset=&limit=100`) take against the local
 * Ninox 4 server with the benchmark's 20 ms latency, from a bare client, on a table of 10 000 records.
 * `npx ts-node --transpile-only test/bench/crossover.ts`
 */
import { performance } from 'node:perf_hooks';

import { recordsPath, tablePath } from '../../nodes/Ninox4/transport';
import { seedBulkTable, startNinox4Server } from '../server4';
import { BoundClient } from './boundClient';
import { LATENCY_MS } from './latency';

const ROUNDS = 200;

async function main(): Promise<void> {
	const server = await startNinox4Server({ seed: 'empty', latencyMs: LATENCY_MS });
	seedBulkTable(server.store, { tableName: 'crossover', count: 10_000 });
	const client = new BoundClient(server.url, server.key, `/api/v1/workspace/${server.workspaceId}`);
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const time = async (send: (round: number) => Promise<unknown>) => {
		const samples: number[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			const start = performance.now();
			await send(round);
			samples.push(performance.now() - start);
		}
		return median(samples);
	};
	try {
		const record = await time(async (round) =>
			await client.json({ method: 'GET', path: [...tablePath('bench', 'crossover'), 'record', 1 + ((round * 37) % 10_000)] }),
		);
		const page = await time(async (round) =>
			await client.json({ method: 'GET', path: recordsPath('bench', 'crossover'), query: { offset: (round % 100) * 100, limit: 100 } }),
		);
		process.stdout.write(
			`latency ${LATENCY_MS} ms, medians of ${ROUNDS}: one record ${record.toFixed(1)} ms, one page of 100 ${page.toFixed(1)} ms ` +
				`(a page costs ${(page / record).toFixed(2)} record reads)\n`,
		);
	} finally {
		await client.close();
		await server.close();
	}
}

void main();
