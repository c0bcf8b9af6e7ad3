/**
 * What the browser walk runs against: the local Ninox server (demo seed plus the tables the walk needs), the
 * local Ninox 4 server (demo seed) and `n8n start` with our freshly built nodes, a fresh user folder (no owner
 * yet: the walk sets one up in the browser), both credentials and the walk's workflow files imported through
 * n8n's CLI.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { DEMO, startNinoxServer } from '../../server';
import type { NinoxServer } from '../../server';
import { startNinox4Server } from '../../server4';
import type { Ninox4Server } from '../../server4';
import { ensureN8nApp, REPO_ROOT } from '../install-n8n';
import type { N8nApp } from '../install-n8n';
import { freePort, N8nInstance, tail } from '../n8n';
import type { RunningN8n } from '../n8n';

export const OWNER = { email: 'walk@example.com', password: 'Ninox-Walk-2024', firstName: 'Walk', lastName: 'Tester' };
export const CREDENTIAL = { id: 'ninoxUiWalkCred1', name: 'Ninox (local walk server)' };
export const OUTPUT_DIR = join(REPO_ROOT, '.e2e', 'ui');
const WORKFLOWS_DIR = join(__dirname, 'workflows');

/**
 * Where the walk points a table URL at another database: a second database of the same team whose table A
 * ("Archived Contact") exists too, so a node that takes only the table letter silently reads the wrong table.
 */
export const OTHER = {
	teamId: DEMO.teamId,
	dbId: 'uiwalkarchive',
	dbName: 'Archive',
	tableId: 'A',
	tableName: 'Archived Contact',
} as const;

/** Two contacts created after the seed, so the newest changes are creations; the walk's upsert matches the first. */
export const NEWEST_CONTACTS = [
	{ 'First Name': 'Walk New One', Email: 'walk.new.one@example.com', Status: 'Lead' },
	{ 'First Name': 'Walk New Two', Email: 'walk.new.two@example.com', Status: 'Lead' },
];

export interface Stack {
	app: N8nApp;
	server: NinoxServer;
	/** The local Ninox 4 server (demo seed: module crm with companies, contacts, deals). */
	server4: Ninox4Server;
	n8n: N8nInstance;
	running: RunningN8n;
	stop(): Promise<void>;
}

function build(): void {
	const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm run build failed:\n${tail(result.stdout + result.stderr)}`);
}

function addWalkData(server: NinoxServer): void {
	server.store.addDatabase(OTHER.teamId, { id: OTHER.dbId, name: OTHER.dbName });
	server.store.addTable(OTHER.teamId, OTHER.dbId, {
		id: OTHER.tableId,
		name: OTHER.tableName,
		fields: [
			{ name: 'First Name', type: 'string' },
			{ name: 'Last Name', type: 'string' },
		],
	});
	server.store.insertRecords(OTHER.teamId, OTHER.dbId, OTHER.tableId, [{ 'First Name': 'Archived', 'Last Name': 'Only' }]);
	// After the seed's updates: Fetch Test Event with Events = Updated must skip these.
	server.store.insertRecords(
		DEMO.teamId,
		DEMO.dbId,
		DEMO.contactTableId,
		NEWEST_CONTACTS,
	);
}

export async function startStack(version: string, log: (line: string) => void): Promise<Stack> {
	const app = await ensureN8nApp(version, log);
	log(`n8n ${app.version} ${app.installed ? `installed in ${app.installSeconds} s` : 'from the cache'}`);
	build();
	log('built dist/');

	const server = await startNinoxServer({ port: 0, seed: 'demo', token: `walk-${randomBytes(12).toString('hex')}` });
	addWalkData(server);
	const server4 = await startNinox4Server({ port: 0, seed: 'demo', key: `walk4-${randomBytes(12).toString('hex')}` });
	const userFolder = join(OUTPUT_DIR, 'n8n');
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	const n8n = new N8nInstance(app, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// Plain http on 127.0.0.1: the login cookie must not require https.
		N8N_SECURE_COOKIE: 'false',
	});
	let running: RunningN8n | undefined;
	const stop = async () => {
		await running?.stop();
		await n8n.stopAll();
		await Promise.all([server.close(), server4.close()]);
	};
	try {
		await n8n.importCredential(
			{ ...CREDENTIAL, baseUrl: server.url, token: server.token },
			{ apiKey: server4.key, workspaceId: server4.workspaceId, baseUrl: server4.url },
		);
		const files = readdirSync(WORKFLOWS_DIR)
			.filter((name) => name.endsWith('.workflow.json'))
			.map((name) => join(WORKFLOWS_DIR, name));
		await n8n.importWorkflows(files, CREDENTIAL);
		const n8nLog = createWriteStream(join(OUTPUT_DIR, 'n8n.log'));
		running = await n8n.start(await freePort(), (line) => n8nLog.write(`${line}\n`));
		log(`n8n is up on ${running.baseUrl} (log: .e2e/ui/n8n.log)`);
		return { app, server, server4, n8n, running, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
