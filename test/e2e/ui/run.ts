/**
 * `npm run e2e:ui [-- --n8n=2.8.4] [--serve]`: the browser walk through the n8n editor.
 *
 * Starts the local Ninox and Ninox 4 servers and the real n8n app with our built nodes (stack.ts), then drives
 * the editor in headless Chromium (walk.ts) as a new user would: owner setup, the Ninox node from the nodes
 * panel, team, database and table from the lists and by URL, the field mapper, Execute step on several
 * operations, the error panel, the trigger's Fetch Test Event, the Ninox 4 node's module and table lists, mapper
 * and Create, and both credentials' connection tests. Every check asserts what the page shows; screenshots go to .e2e/ui/.
 * Prints one PASS/FAIL line per check, then the counts and the run time; exits 1 on any failed check.
 * `--serve` only starts the stack and waits (for looking at it in a browser or writing a new check).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { relative } from 'node:path';

import { DEFAULT_N8N_VERSION } from '../install-n8n';
import { launchChromium } from './browser';
import { OUTPUT_DIR, OWNER, startStack } from './stack';
import type { Stack } from './stack';
import { walk } from './walk';
import { Report } from './report';

function parseOptions(argv: string[]): { version: string; serve: boolean } {
	const options = { version: DEFAULT_N8N_VERSION, serve: false };
	for (const arg of argv) {
		if (arg.startsWith('--n8n=')) options.version = arg.slice('--n8n='.length);
		else if (arg === '--serve') options.serve = true;
		else throw new Error(`Unknown option ${arg}. Usage: npm run e2e:ui -- [--n8n=${DEFAULT_N8N_VERSION}] [--serve]`);
	}
	return options;
}

async function main(): Promise<number> {
	const started = Date.now();
	const options = parseOptions(process.argv.slice(2));
	rmSync(OUTPUT_DIR, { recursive: true, force: true });
	mkdirSync(OUTPUT_DIR, { recursive: true });

	let stack: Stack | undefined;
	const stopAll = async () => {
		await stack?.stop();
	};
	const onSignal = () => void stopAll().then(() => process.exit(130));
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	stack = await startStack(options.version, (line) => console.log(line));
	if (options.serve) {
		console.log(`n8n: ${stack.running.baseUrl} (set up the owner ${OWNER.email} / ${OWNER.password} in the browser)`);
		console.log(`Ninox: ${stack.server.apiUrl}, token ${stack.server.token}. Ctrl-C stops.`);
		return await new Promise<number>(() => undefined);
	}

	const report = new Report(OUTPUT_DIR);
	const chromium = await launchChromium((line) => console.log(line));
	try {
		await walk(stack, chromium.context, report);
	} finally {
		await chromium.close();
		await stopAll();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	report.print(
		`\n${report.passed} passed, ${report.failed} failed in ${seconds} s (n8n ${stack.app.version}); ` +
			`screenshots and report.txt in ${relative(process.cwd(), OUTPUT_DIR)}/`,
	);
	return report.failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	},
);
