/** Child process of the memory measurement (see memory.ts): argv[2] is the MemoryRequest as JSON. */
import './env';

import type { MemoryRequest } from './memory';
import { measureHere, printResult } from './memory';

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
	if (!gc) throw new Error('run with --expose-gc');
	const request = JSON.parse(process.argv[2]) as MemoryRequest;
	printResult(await measureHere(request, gc));
}

main().then(
	// n8n-core leaves an interval running; the measurement is done.
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
