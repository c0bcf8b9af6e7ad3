/**
 * `npm run demo [-- --check] [--n8n=2.8.4]`: the Ninox nodes in a real n8n, no Ninox account needed.
 *
 * Starts the local Ninox server with its demo data on 127.0.0.1:8787 and `n8n start` on 127.0.0.1:5678 with our
 * freshly built nodes, a credential pointing at the local server, an owner account and the two example workflows
 * of test/e2e/examples/ (a record sync and a trigger-driven flow). Before saying it is ready it checks, through
 * n8n's REST API, that n8n registered our node and credential types, that the credential test passes and that both
 * examples run. Ctrl-C stops both servers. `--check` stops after the checks (exit code 0 when all passed).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { DEMO, startNinoxServer } from '../server';
import type { LoggedRequest, NinoxServer } from '../server';
import { DEFAULT_N8N_VERSION, ensureN8nApp, REPO_ROOT } from './install-n8n';
import type { RunningN8n, WorkflowFile } from './n8n';
import { CREDENTIAL_TYPE, CUSTOM_PREFIX, freePort, N8nInstance, runDataItems, tail, until } from './n8n';

const NINOX_PORT = 8787;
const N8N_PORT = 5678;
const OWNER = { email: 'demo@example.com', password: 'Ninox-Demo-2024', firstName: 'Demo', lastName: 'User' };
const CREDENTIAL = { id: 'ninoxDemoCred001', name: 'Ninox (local demo server)' };
const SYNC_WORKFLOW = { id: 'ninoxDemoSync001', trigger: 'When Clicking ‘Execute Workflow’' };
const TRIGGER_WORKFLOW = { id: 'ninoxDemoTrigger', trigger: 'Ninox Trigger' };
const EXAMPLES_DIR = join(__dirname, 'examples');
const { teamId, dbId } = DEMO;

/** Tables the examples write to, next to the seed's Contact (A) and Company (B). */
function addExampleTables(server: NinoxServer): void {
	server.store.addTable(teamId, dbId, {
		id: 'C',
		name: 'Newsletter',
		fields: [
			{ name: 'Email', type: 'email' },
			{ name: 'Name', type: 'string' },
			{ name: 'Status', type: 'string' },
			{ name: 'Contact ID', type: 'number' },
		],
	});
	server.store.addTable(teamId, dbId, {
		id: 'D',
		name: 'Activity',
		fields: [
			{ name: 'Event', type: 'string' },
			{ name: 'Record', type: 'string' },
			{ name: 'Contact', type: 'string' },
			{ name: 'Sequence', type: 'number' },
		],
	});
}

async function check(name: string, body: () => Promise<string>): Promise<boolean> {
	try {
		console.log(`  ok   ${name}: ${await body()}`);
		return true;
	} catch (error) {
		console.log(`  FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
		return false;
	}
}

/** What the demo promises, checked through n8n's REST API. */
async function verify(running: RunningN8n, server: NinoxServer, waitForPoll: boolean): Promise<boolean> {
	const results = [
		await check('node types', async () => {
			const nodes = await running.rest<Array<{ name: string }>>('GET', '/types/nodes.json');
			const ours = nodes.map((node) => node.name).filter((name) => name.startsWith(`${CUSTOM_PREFIX}.ninox`));
			for (const expected of ['ninox', 'ninoxTrigger']) {
				if (!ours.includes(`${CUSTOM_PREFIX}.${expected}`)) throw new Error(`n8n does not list ${CUSTOM_PREFIX}.${expected}`);
			}
			return ours.sort().join(', ');
		}),
		await check('credential type', async () => {
			const types = await running.rest<Array<{ name: string; displayName: string }>>('GET', '/types/credentials.json');
			const ours = types.find((type) => type.name === CREDENTIAL_TYPE);
			if (!ours) throw new Error(`n8n does not list ${CREDENTIAL_TYPE}`);
			return `${ours.name} ("${ours.displayName}")`;
		}),
		await check('credential test', async () => {
			const answer = await running.rest<{ data: { status: string; message: string } }>('POST', '/rest/credentials/test', {
				credentials: {
					...CREDENTIAL,
					type: CREDENTIAL_TYPE,
					data: { environment: 'onPremise', baseUrl: server.url, token: server.token },
				},
			});
			if (answer.data.status !== 'OK') throw new Error(answer.data.message);
			return 'OK';
		}),
		await check('record sync example', async () => {
			const execution = await running.runManually(SYNC_WORKFLOW.id, SYNC_WORKFLOW.trigger);
			if (execution.status !== 'success') throw new Error(`${execution.status}: ${execution.error?.message ?? ''}`);
			const written = runDataItems(execution.runData, 'Create or Update in Newsletter').length;
			const stored = server.store.getRecords(teamId, dbId, 'C').length;
			if (written === 0 || stored !== written) throw new Error(`wrote ${written} items, Newsletter holds ${stored} records`);
			// Run again: the same rows are updated, none added.
			const again = await running.runManually(SYNC_WORKFLOW.id, SYNC_WORKFLOW.trigger);
			if (again.status !== 'success') throw new Error(`second run: ${again.status}: ${again.error?.message ?? ''}`);
			const rewritten = runDataItems(again.runData, 'Create or Update in Newsletter').map((item) => item.json.id);
			const storedAgain = server.store.getRecords(teamId, dbId, 'C').length;
			if (rewritten.length !== written || storedAgain !== stored) {
				throw new Error(`second run wrote ${rewritten.length} items, Newsletter now holds ${storedAgain} records (was ${stored})`);
			}
			return `${written} subscribed contacts upserted into Newsletter; a second run updated the same ${stored} rows`;
		}),
		await check('trigger example', async () => {
			// A manual run is what "Test Workflow" in the editor does: the trigger returns its latest changes.
			const execution = await running.runManually(TRIGGER_WORKFLOW.id, TRIGGER_WORKFLOW.trigger);
			if (execution.status !== 'success') throw new Error(`${execution.status}: ${execution.error?.message ?? ''}`);
			const logged = runDataItems(execution.runData, 'Add to Activity').length;
			if (logged === 0) throw new Error('nothing reached the Activity table');
			const pollsFrom = server.requests.length;
			await running.activate(TRIGGER_WORKFLOW.id);
			const active = (await running.getWorkflow(TRIGGER_WORKFLOW.id)).active;
			if (!active) throw new Error('the workflow did not become active');
			if (!waitForPoll) return `test run logged ${logged} changes; now active, polling every minute`;

			// --check: a change in Contact reaches Activity through the next scheduled poll (at the next full minute).
			const isPoll = (request: LoggedRequest) => request.segments.at(-1) === 'changes' && request.status === 200;
			await until('the activation poll', 30_000, () => server.requests.slice(pollsFrom).find(isPoll));
			const activityBefore = server.store.getRecords(teamId, dbId, 'D').length;
			server.store.updateRecord(teamId, dbId, 'A', 8, { Notes: 'changed by the demo check' });
			const rows = await until('the next poll to log the change (up to a minute)', 90_000, () => {
				const added = server.store.getRecords(teamId, dbId, 'D').slice(activityBefore);
				return added.length ? added : undefined;
			});
			const fields = rows.map((row) => `${String(row.fields.Event)} ${String(row.fields.Record)}`);
			if (fields.join() !== 'updated A8') throw new Error(`Activity got ${JSON.stringify(fields)}, expected "updated A8"`);
			return `test run logged ${logged} changes; active, and the next poll logged "updated A8"`;
		}),
	];
	return results.every(Boolean);
}

function parseArgs(argv: string[]): { check: boolean; version: string } {
	const options = { check: false, version: DEFAULT_N8N_VERSION };
	for (const arg of argv) {
		if (arg === '--check') options.check = true;
		else if (arg.startsWith('--n8n=')) options.version = arg.slice('--n8n='.length);
		else throw new Error(`Unknown option ${arg}. Usage: npm run demo -- [--check] [--n8n=${DEFAULT_N8N_VERSION}]`);
	}
	return options;
}

/** Set once Ctrl-C (or SIGTERM) arrived: the signal handler stops everything and exits. */
let signalled = false;

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));

	// Ctrl-C (SIGINT to the whole process group) or SIGTERM at any point stops what has been started; n8n gets
	// SIGTERM from us as well, in case the signal reached only this process. A second Ctrl-C kills outright.
	let server: NinoxServer | undefined;
	let n8n: N8nInstance | undefined;
	let running: RunningN8n | undefined;
	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= (async () => {
			await running?.stop();
			await n8n?.stopAll();
			await server?.close();
		})());
	const onSignal = (signal: NodeJS.Signals) => {
		if (signalled) {
			n8n?.killAll();
			process.exit(130);
		}
		signalled = true;
		console.log(`\n${signal}: stopping n8n and the Ninox server…`);
		void stop().then(() => process.exit(0));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	const app = await ensureN8nApp(options.version, (line) => console.log(line));
	console.log(`n8n ${app.version} ${app.installed ? `installed in ${app.installSeconds} s` : 'from the cache'}`);
	const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
	// Ctrl-C during the build (nothing else runs yet).
	if (build.signal) {
		console.log(`\n${build.signal}: stopped during the build`);
		return 0;
	}
	if (build.status !== 0) throw new Error(`npm run build failed:\n${tail(build.stdout + build.stderr)}`);
	console.log('built dist/');

	// A token of its own per demo, kept in a file (it is printed nowhere).
	const token = `demo-${randomBytes(12).toString('hex')}`;
	try {
		server = await startNinoxServer({ port: NINOX_PORT, seed: 'demo', token });
	} catch (error) {
		throw new Error(`Cannot start the local Ninox server on port ${NINOX_PORT} (${(error as Error).message}): is a demo already running?`);
	}
	addExampleTables(server);
	const userFolder = join(REPO_ROOT, '.e2e', 'demo');
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	const tokenFile = join(userFolder, 'ninox-token');
	writeFileSync(tokenFile, token, { mode: 0o600 });
	const logFile = join(userFolder, 'n8n.log');
	const log = createWriteStream(logFile);
	n8n = new N8nInstance(app, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// Plain http on 127.0.0.1: the login cookie must not require https.
		N8N_SECURE_COOKIE: 'false',
	});
	let imported: WorkflowFile[] = [];

	try {
		await n8n.importCredential({ ...CREDENTIAL, baseUrl: server.url, token });
		const examples = readdirSync(EXAMPLES_DIR)
			.filter((name) => name.endsWith('.workflow.json'))
			.map((name) => join(EXAMPLES_DIR, name));
		imported = await n8n.importWorkflows(examples, CREDENTIAL);
		console.log(`imported the credential and ${imported.length} example workflows`);
		running = await n8n.start(N8N_PORT, (line) => log.write(`${line}\n`));
		await running.setupOwner(OWNER);
		console.log(`n8n ${app.version} is up (log: ${relative(process.cwd(), logFile)}); checking the demo:`);
		const ok = await verify(running, server, options.check);
		if (signalled) return await new Promise<number>(() => undefined);
		if (options.check || !ok) {
			await stop();
			console.log(ok ? 'demo check passed' : 'demo check failed');
			return ok ? 0 : 1;
		}
	} catch (error) {
		// After Ctrl-C a step fails because n8n went away: the signal handler finishes.
		if (signalled) return await new Promise<number>(() => undefined);
		await stop();
		throw error;
	}

	const tokenPath = relative(process.cwd(), tokenFile);
	console.log(`
The Ninox demo is running.
  n8n:     http://127.0.0.1:${N8N_PORT}   log in as ${OWNER.email} / ${OWNER.password}
  Ninox:   ${server.apiUrl} (local fake, demo data); its token is in ${tokenPath}
  Workflows: ${imported.map((workflow) => `"${workflow.name}"`).join(', ')}
    (run the sync from the editor; the trigger flow is active and polls every minute)
  Make a change the trigger will see, e.g.:
    curl -X PUT -H "Authorization: Bearer $(cat ${tokenPath})" -H "Content-Type: application/json" \\
      -d '{"fields":{"Status":"Lead"}}' ${server.apiUrl}/teams/${teamId}/databases/${dbId}/tables/A/records/5
Press Ctrl-C to stop.`);

	return await new Promise<number>((resolve) => {
		running?.child.once('exit', (code) => {
			if (stopping) return;
			console.log(`n8n exited with ${code}:\n${tail(running?.log.join('\n') ?? '')}`);
			void stop().then(() => resolve(1));
		});
	});
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		// A step interrupted by Ctrl-C (the build, an n8n CLI call) fails: the signal handler is stopping already.
		if (signalled) return;
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
