/**
 * `npm run demo [-- --check] [--n8n=2.8.4]`: the Ninox nodes in a real n8n, no Ninox account needed.
 *
 * Starts the local Ninox server with its demo data on 127.0.0.1:8787, the local Ninox 4 server (module crm) on
 * 127.0.0.1:8788 and `n8n start` on 127.0.0.1:5678 with our freshly built nodes, a credential for each server, an
 * owner account and the example workflows of test/e2e/examples/ (a record sync and a trigger-driven flow for
 * classic Ninox; for Ninox 4, a won deal that marks its contact Active). Before saying it is ready it checks,
 * through n8n's REST API, that n8n registered our node and credential types, that both credential tests pass and
 * that the examples run. Ctrl-C stops everything. `--check` stops after the checks (exit code 0 when all passed).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { DEMO, startNinoxServer } from '../server';
import type { LoggedRequest, NinoxServer } from '../server';
import { DEMO4, renderRecord, startNinox4Server, writeValues } from '../server4';
import type { Ninox4Server } from '../server4';
import { DEFAULT_N8N_VERSION, ensureN8nApp, REPO_ROOT } from './install-n8n';
import type { RunningN8n, WorkflowFile } from './n8n';
import { CREDENTIAL4_TYPE, CREDENTIAL_TYPE, CUSTOM_PREFIX, freePort, N8nInstance, NINOX4_CREDENTIAL, runDataItems, tail, until } from './n8n';

const NINOX_PORT = 8787;
const NINOX4_PORT = 8788;
const N8N_PORT = 5678;
const OWNER = { email: 'demo@example.com', password: 'Ninox-Demo-2024', firstName: 'Demo', lastName: 'User' };
const CREDENTIAL = { id: 'ninoxDemoCred001', name: 'Ninox (local demo server)' };
const SYNC_WORKFLOW = { id: 'ninoxDemoSync001', trigger: 'When Clicking ‘Execute Workflow’' };
const TRIGGER_WORKFLOW = { id: 'ninoxDemoTrigger', trigger: 'Ninox Trigger' };
const WON_DEAL_WORKFLOW = { id: 'ninox4DemoWonDea', trigger: 'Ninox 4 Trigger' };
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

/**
 * The Ninox 4 example's event: a deal of the demo's crm module is set to Won (its contact first back to Lead, so
 * that the example's change shows). Returns the deal's contact id.
 */
function winDeal(server4: Ninox4Server, dealId: number): string {
	const { store } = server4;
	const deals = store.table(DEMO4.module, DEMO4.deals);
	const contacts = store.table(DEMO4.module, DEMO4.contacts);
	const deal = deals.recordList().find((record) => record.id === dealId);
	const contactId = deal && renderRecord(store, deals, deal).values.contact;
	const contact = contacts.recordList().find((record) => String(record.id) === String(contactId));
	if (!deal || !contact) throw new Error(`deal ${dealId} and its contact are not in the demo data`);
	store.updateRecords(contacts, [{ record: contact, values: writeValues(store, contacts, { status: 'Lead' }, 'demo') }]);
	store.updateRecords(deals, [{ record: deal, values: writeValues(store, deals, { stage: 'Won' }, 'demo') }]);
	return String(contact.id);
}

/** A Ninox 4 contact's values as the API reads them. */
function contact4(server4: Ninox4Server, id: string): Record<string, unknown> {
	const contacts = server4.store.table(DEMO4.module, DEMO4.contacts);
	const record = contacts.recordList().find((candidate) => String(candidate.id) === id);
	return record ? renderRecord(server4.store, contacts, record).values : {};
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
async function verify(running: RunningN8n, server: NinoxServer, server4: Ninox4Server, waitForPoll: boolean): Promise<boolean> {
	/** The contact the Ninox 4 example must mark Active after the next scheduled poll (--check). */
	let pollContact: { id: string; dealId: number } | undefined;
	const results = [
		await check('node types', async () => {
			const nodes = await running.rest<Array<{ name: string }>>('GET', '/types/nodes.json');
			const ours = nodes.map((node) => node.name).filter((name) => name.startsWith(`${CUSTOM_PREFIX}.ninox`));
			for (const expected of ['ninox', 'ninoxTrigger', 'ninox4', 'ninox4Trigger']) {
				if (!ours.includes(`${CUSTOM_PREFIX}.${expected}`)) throw new Error(`n8n does not list ${CUSTOM_PREFIX}.${expected}`);
			}
			return ours.sort().join(', ');
		}),
		await check('credential type', async () => {
			const types = await running.rest<Array<{ name: string; displayName: string }>>('GET', '/types/credentials.json');
			const ours = [CREDENTIAL_TYPE, CREDENTIAL4_TYPE].map((name) => {
				const type = types.find((candidate) => candidate.name === name);
				if (!type) throw new Error(`n8n does not list ${name}`);
				return `${type.name} ("${type.displayName}")`;
			});
			return ours.join(', ');
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
		await check('Ninox 4 credential test', async () => {
			const answer = await running.rest<{ data: { status: string; message: string } }>('POST', '/rest/credentials/test', {
				credentials: {
					...NINOX4_CREDENTIAL,
					type: CREDENTIAL4_TYPE,
					data: { apiKey: server4.key, workspaceId: server4.workspaceId, baseUrl: server4.url },
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
		await check('Ninox 4 example', async () => {
			// "Test Workflow" in the editor: the trigger returns the latest created or updated deals, the won ones go on.
			const contactId = winDeal(server4, DEMO4.dealCount);
			const execution = await running.runManually(WON_DEAL_WORKFLOW.id, WON_DEAL_WORKFLOW.trigger);
			if (execution.status !== 'success') throw new Error(`${execution.status}: ${execution.error?.message ?? ''}`);
			const updated = runDataItems(execution.runData, 'Mark Contact Active').map((item) => String(item.json.id));
			if (!updated.includes(contactId) || contact4(server4, contactId).status !== 'Active') {
				throw new Error(`deal ${DEMO4.dealCount} was won, but its contact ${contactId} is ${String(contact4(server4, contactId).status)}`);
			}
			const pollsFrom = server4.log.length;
			await running.activate(WON_DEAL_WORKFLOW.id);
			if (!(await running.getWorkflow(WON_DEAL_WORKFLOW.id)).active) throw new Error('the workflow did not become active');
			const note = `test run: deal ${DEMO4.dealCount} won → contact ${contactId} Active (${updated.length} contacts updated)`;
			if (!waitForPoll) return `${note}; now active, polling every minute`;

			// --check: another deal is won now; the next scheduled poll (checked below) must mark its contact Active.
			const isPoll = (request: (typeof server4.log)[number]) => request.segments.at(-1) === 'changes' && request.status === 200;
			await until('the Ninox 4 activation poll', 30_000, () => server4.log.slice(pollsFrom).find(isPoll));
			const dealId = DEMO4.dealCount - 1;
			pollContact = { id: winDeal(server4, dealId), dealId };
			return `${note}; active, deal ${dealId} won for the next poll`;
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
		...(waitForPoll
			? [
					await check('Ninox 4 poll', async () => {
						if (!pollContact) throw new Error('the Ninox 4 example did not get to its scheduled poll');
						const { id, dealId } = pollContact;
						await until('the next Ninox 4 poll to mark the contact Active (up to a minute)', 90_000, () =>
							contact4(server4, id).status === 'Active' ? true : undefined,
						);
						const deals = server4.store.table(DEMO4.module, DEMO4.deals);
						const wonAt = deals.history.filter((change) => change.id === dealId).at(-1)?.at;
						const lastContact = Date.parse(String(contact4(server4, id).last_contact));
						if (lastContact !== wonAt) throw new Error(`last_contact ${String(contact4(server4, id).last_contact)} is not the deal's change time`);
						return `the next poll marked contact ${id} Active, last contact = the time deal ${dealId} was won`;
					}),
				]
			: []),
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
	let server4: Ninox4Server | undefined;
	let n8n: N8nInstance | undefined;
	let running: RunningN8n | undefined;
	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= (async () => {
			await running?.stop();
			await n8n?.stopAll();
			await server?.close();
			await server4?.close();
		})());
	const onSignal = (signal: NodeJS.Signals) => {
		if (signalled) {
			n8n?.killAll();
			process.exit(130);
		}
		signalled = true;
		console.log(`\n${signal}: stopping n8n and the Ninox servers…`);
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
	const key4 = `demo4-${randomBytes(12).toString('hex')}`;
	try {
		server4 = await startNinox4Server({ port: NINOX4_PORT, seed: 'demo', key: key4 });
	} catch (error) {
		throw new Error(`Cannot start the local Ninox 4 server on port ${NINOX4_PORT} (${(error as Error).message}): is a demo already running?`);
	}
	const userFolder = join(REPO_ROOT, '.e2e', 'demo');
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	const tokenFile = join(userFolder, 'ninox-token');
	writeFileSync(tokenFile, token, { mode: 0o600 });
	const keyFile = join(userFolder, 'ninox4-key');
	writeFileSync(keyFile, key4, { mode: 0o600 });
	const logFile = join(userFolder, 'n8n.log');
	const log = createWriteStream(logFile);
	n8n = new N8nInstance(app, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// Plain http on 127.0.0.1: the login cookie must not require https.
		N8N_SECURE_COOKIE: 'false',
	});
	let imported: WorkflowFile[] = [];

	try {
		await n8n.importCredential(
			{ ...CREDENTIAL, baseUrl: server.url, token },
			{ apiKey: key4, workspaceId: server4.workspaceId, baseUrl: server4.url },
		);
		const examples = readdirSync(EXAMPLES_DIR)
			.filter((name) => name.endsWith('.workflow.json'))
			.map((name) => join(EXAMPLES_DIR, name));
		imported = await n8n.importWorkflows(examples, CREDENTIAL);
		console.log(`imported the credentials (Ninox, Ninox 4) and ${imported.length} example workflows`);
		running = await n8n.start(N8N_PORT, (line) => log.write(`${line}\n`));
		await running.setupOwner(OWNER);
		console.log(`n8n ${app.version} is up (log: ${relative(process.cwd(), logFile)}); checking the demo:`);
		const ok = await verify(running, server, server4, options.check);
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
	const keyPath = relative(process.cwd(), keyFile);
	console.log(`
The Ninox demo is running.
  n8n:     http://127.0.0.1:${N8N_PORT}   log in as ${OWNER.email} / ${OWNER.password}
  Ninox:   ${server.apiUrl} (local fake, demo data); its token is in ${tokenPath}
  Ninox 4: ${server4.url}, workspace ${server4.workspaceId} (local fake, module crm); its API key is in ${keyPath}
  Workflows: ${imported.map((workflow) => `"${workflow.name}"`).join(', ')}
    (run the sync from the editor; the two trigger flows are active and poll every minute)
  Make a change the Ninox Trigger will see, e.g.:
    curl -X PUT -H "Authorization: Bearer $(cat ${tokenPath})" -H "Content-Type: application/json" \\
      -d '{"fields":{"Status":"Lead"}}' ${server.apiUrl}/teams/${teamId}/databases/${dbId}/tables/A/records/5
  Win a Ninox 4 deal (the next poll marks its contact Active):
    curl -X PATCH -H "Authorization: Bearer $(cat ${keyPath})" -H "Content-Type: application/json" \\
      -d '{"records":[{"id":7,"stage":"Won"}]}' ${server4.apiUrl}/modules/crm/tables/deals/records
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
