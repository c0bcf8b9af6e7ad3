/**
 * `npm run e2e [-- --n8n=2.8.4] [--only=name,name] [--keep]`: our built package inside the real n8n app.
 *
 * Installs n8n (cached), builds dist/, starts the local Ninox and Ninox 4 servers (demo seeds), imports a credential
 * for each and the workflow files `test/e2e/*.workflow.json` into a throw-away n8n user folder, runs each with
 * `n8n execute --id=… --rawOutput`, and checks the CLI's JSON and the server's state and request log. The trigger
 * needs a running n8n (`n8n start`): it is activated, a record changes, and the next poll's execution is checked.
 * Prints one PASS/FAIL line per check and `N passed, M failed`; exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startNinoxServer } from '../server';
import type { NinoxServer } from '../server';
import { startNinox4Server } from '../server4';
import { cases } from './cases';
import type { CaseContext } from './cases';
import { DEFAULT_N8N_VERSION, ensureN8nApp, REPO_ROOT } from './install-n8n';
import { freePort, N8nInstance, refusesSubMinutePolls, tail } from './n8n';
import type { RunningN8n } from './n8n';
import { startedCases } from './started';
import type { StartedContext } from './started';

interface Options {
	version: string;
	only?: Set<string>;
	keep: boolean;
}

function parseOptions(argv: string[]): Options {
	const options: Options = { version: DEFAULT_N8N_VERSION, keep: false };
	for (const arg of argv) {
		const [key, value = ''] = arg.replace(/^--/, '').split('=');
		if (key === 'n8n' && value) options.version = value;
		else if (key === 'only' && value) options.only = new Set(value.split(','));
		else if (key === 'keep') options.keep = true;
		else throw new Error(`Unknown option ${arg}. Usage: npm run e2e -- [--n8n=${DEFAULT_N8N_VERSION}] [--only=a,b] [--keep]`);
	}
	return options;
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

class Results {
	passed = 0;
	failed = 0;

	async check(name: string, body: () => Promise<string | void>): Promise<boolean> {
		const started = Date.now();
		try {
			const note = await body();
			this.passed++;
			console.log(`PASS ${name} (${seconds(started)} s)${note ? ` — ${note}` : ''}`);
			return true;
		} catch (error) {
			this.failed++;
			const message = error instanceof Error ? error.message : String(error);
			console.log(`FAIL ${name} (${seconds(started)} s)\n${indent(message)}`);
			return false;
		}
	}
}

function indent(text: string): string {
	return text
		.split('\n')
		.map((line) => `     ${line}`)
		.join('\n');
}

function build(): void {
	const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm run build failed:\n${tail(result.stdout + result.stderr)}`);
}

async function main(): Promise<number> {
	const options = parseOptions(process.argv.slice(2));
	const known = [...cases, ...startedCases].map((c) => c.name);
	const unknown = [...(options.only ?? [])].filter((name) => !known.includes(name));
	if (unknown.length) throw new Error(`Unknown check ${unknown.join(', ')}; the checks are: ${known.join(', ')}`);
	const selected = <T extends { name: string }>(list: T[]) => list.filter((c) => !options.only || options.only.has(c.name));
	const results = new Results();
	const started = Date.now();

	const app = await ensureN8nApp(options.version, (line) => console.log(line));
	console.log(
		`n8n ${app.version} ${app.installed ? `installed in ${app.installSeconds} s` : 'from the cache'} (${app.dir}), Node ${
			spawnSync(app.nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim()
		}`,
	);
	let step = Date.now();
	build();
	console.log(`built dist/ in ${seconds(step)} s`);

	// A token of its own per run: any trace of it in n8n's output or log is a leak.
	const server: NinoxServer = await startNinoxServer({ seed: 'demo', token: `e2e-${randomBytes(12).toString('hex')}` });
	const server4 = await startNinox4Server({ seed: 'demo', key: `e2e4-${randomBytes(12).toString('hex')}` });
	const keys = [server.token, server4.key];
	mkdirSync(join(REPO_ROOT, '.e2e'), { recursive: true });
	const userFolder = mkdtempSync(join(REPO_ROOT, '.e2e', `n8n-${app.version}-`));
	// Every n8n process starts a task broker: a port of its own keeps parallel runs (or the demo) apart.
	const n8n = new N8nInstance(app, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// The Read/Write Files node of the Ninox 4 CSV check reads its file from here.
		N8N_RESTRICT_FILE_ACCESS_TO: join(__dirname, 'ninox4-files'),
	});
	const credential = { id: 'ninoxE2eCred0001', name: 'Ninox (local server)', baseUrl: server.url, token: server.token };
	// Ctrl-C: stop the n8n processes and the server, and remove the user folder (unless --keep).
	const interrupt = (signal: NodeJS.Signals) => {
		console.log(`\n${signal}: stopping`);
		void n8n
			.stopAll(5_000)
			.then(() => Promise.all([server.close(), server4.close()]))
			.finally(() => {
				if (!options.keep) rmSync(userFolder, { recursive: true, force: true });
				process.exit(130);
			});
	};
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		step = Date.now();
		await n8n.importCredential(credential, { apiKey: server4.key, workspaceId: server4.workspaceId, baseUrl: server4.url });
		const workflowCases = selected(cases);
		const startedSelection = selected(startedCases);
		const files = [...workflowCases.map((c) => c.name), ...startedSelection.flatMap((c) => c.workflows)];
		const pollEveryMinute = refusesSubMinutePolls(app);
		await n8n.importWorkflows(
			files.map((name) => join(__dirname, `${name}.workflow.json`)),
			credential,
			(workflow) => {
				if (!pollEveryMinute) return;
				for (const node of workflow.nodes) {
					if ('pollTimes' in node.parameters) node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
				}
			},
		);
		if (pollEveryMinute) console.log(`n8n ${app.version} polls at most once a minute: the trigger check takes a few minutes`);
		console.log(`imported the credential and ${files.length} workflows in ${seconds(step)} s; user folder ${userFolder}`);

		for (const testCase of workflowCases) {
			await results.check(testCase.name, async () => {
				const prepared = testCase.before?.(server, server4);
				server.clearLog();
				server4.clearLog();
				const result = await n8n.execute(testCase.workflowId);
				if (keys.some((key) => (result.stdout + result.stderr).includes(key))) throw new Error('the token or API key appears in the output');
				if (testCase.expectError) {
					if (result.code === 0) throw new Error('expected the execution to fail, it exited 0');
				} else if (result.code !== 0 || !result.run) {
					throw new Error(`n8n execute exited with ${result.code ?? result.signal}:\n${tail(result.stdout + result.stderr)}`);
				}
				const context: CaseContext = {
					server,
					server4,
					result,
					run: result.run,
					requests: [...server.requests],
					requests4: [...server4.log],
					prepared,
				};
				return testCase.check(context);
			});
		}

		if (startedSelection.length) {
			step = Date.now();
			let running: RunningN8n | undefined;
			const ready = await results.check('n8n start', async () => {
				running = await n8n.start(await freePort());
				await running.setupOwner({ email: 'e2e@example.com', password: 'E2e-Passw0rd!', firstName: 'E2E', lastName: 'Runner' });
				return 'REST API up, owner set up';
			});
			try {
				if (ready && running) {
					const context: StartedContext = { server, server4, running, credential, pollSeconds: pollEveryMinute ? 60 : 10 };
					for (const testCase of startedSelection) {
						await results.check(testCase.name, () => testCase.run(context));
					}
					const log = running.log;
					await results.check('n8n log', async () => {
						if (log.some((line) => keys.some((key) => line.includes(key)))) throw new Error('the token or API key appears in the n8n log');
						// (The app's own path holds the package name: it is no sign of our nodes.)
						const ours = log.filter((line) => /ninox/i.test(line.split(app.dir).join('')) && /error|warn/i.test(line));
						if (ours.length) throw new Error(`n8n logged problems with our nodes:\n${ours.slice(0, 10).join('\n')}`);
						// Other noise: no Python runner, no internet (api.n8n.io) on this machine.
						const other = log.filter((line) => /^\S*Error\b/.test(line));
						return other.length ? `nothing about Ninox; ${other.length} unrelated errors, e.g. ${other[0].slice(0, 120)}` : 'clean';
					});
				}
			} finally {
				await running?.stop();
				if (running) writeFileSync(join(userFolder, 'n8n-start.log'), running.log.join('\n'));
				if (running && options.keep) console.log(`n8n start log: ${join(userFolder, 'n8n-start.log')}`);
			}
		}
	} finally {
		await Promise.all([server.close(), server4.close()]);
		if (!options.keep) rmSync(userFolder, { recursive: true, force: true });
	}
	console.log(`n8n ${app.version}: e2e took ${seconds(started)} s`);
	if (results.failed && !options.keep) console.log('(run again with --keep to keep the n8n user folder and log in .e2e/)');
	console.log(`${results.passed} passed, ${results.failed} failed`);
	return results.failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		console.log('0 passed, 1 failed');
		process.exit(1);
	},
);
