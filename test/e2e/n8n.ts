/**
 * One n8n instance for the end-to-end test and the demo: a throw-away user folder (embedded SQLite), our built
 * package loaded as a custom extension, and the CLI (`import:*`, `execute`, `start`) driven as a person would.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { N8nApp } from './install-n8n';
import { REPO_ROOT } from './install-n8n';

export const PACKAGE_NAME = 'n8n-nodes-ninox-api';
/** How n8n names node types loaded from N8N_CUSTOM_EXTENSIONS. */
export const CUSTOM_PREFIX = 'CUSTOM';
export const CREDENTIAL_TYPE = 'ninoxTokenApi';
export const CREDENTIAL4_TYPE = 'ninox4Api';
/** The Ninox 4 credential every run imports; workflow files name it `__NINOX4_CREDENTIAL_ID__` / `…_NAME__`. */
export const NINOX4_CREDENTIAL = { id: 'ninox4LocalCred1', name: 'Ninox 4 (local server)' };

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	seconds: number;
}

export interface NinoxCredential {
	id: string;
	name: string;
	baseUrl: string;
	token: string;
}

/** What a Ninox 4 credential holds (its id and name are NINOX4_CREDENTIAL's). */
export interface Ninox4CredentialData {
	apiKey: string;
	workspaceId: string;
	baseUrl: string;
}

export class N8nInstance {
	readonly env: NodeJS.ProcessEnv;
	/** The n8n processes of this instance still running (CLI calls and `n8n start`). */
	private readonly children = new Set<ChildProcess>();

	constructor(
		readonly app: N8nApp,
		readonly userFolder: string,
		extra: NodeJS.ProcessEnv = {},
	) {
		mkdirSync(userFolder, { recursive: true });
		this.env = {
			...process.env,
			N8N_USER_FOLDER: userFolder,
			N8N_CUSTOM_EXTENSIONS: join(REPO_ROOT, 'dist'),
			DB_TYPE: 'sqlite',
			// A fixed key: the credential is imported unencrypted and encrypted with this one.
			N8N_ENCRYPTION_KEY: 'ninox-e2e-not-a-secret',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			// 'info': `execute --rawOutput` prints the run through the logger.
			N8N_LOG_LEVEL: 'info',
			NODE_ENV: 'production',
			...extra,
		};
	}

	private track(child: ChildProcess): void {
		this.children.add(child);
		child.once('exit', () => this.children.delete(child));
	}

	/** Stops every n8n process of this instance that still runs (SIGTERM, SIGKILL after `graceMs`). */
	async stopAll(graceMs = 20_000): Promise<void> {
		await Promise.all([...this.children].map((child) => stopChild(child, graceMs)));
	}

	/** Kills every n8n process of this instance at once. */
	killAll(): void {
		for (const child of this.children) child.kill('SIGKILL');
	}

	/** Runs `n8n <args>` to its end. */
	cli(args: string[], timeoutMs = 180_000): Promise<CliResult> {
		const started = Date.now();
		return new Promise((resolve, reject) => {
			const child = spawn(this.app.nodeBin, [this.app.n8nEntry, ...args], {
				cwd: this.userFolder,
				env: this.env,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			this.track(child);
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				resolve({ code, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 });
			});
		});
	}

	async cliOk(args: string[]): Promise<CliResult> {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${tail(result.stdout + result.stderr)}`);
		}
		return result;
	}

	/** Imports the Ninox credential (On-Premise environment pointing at `baseUrl`), and a Ninox 4 one if given. */
	async importCredential(credential: NinoxCredential, ninox4?: Ninox4CredentialData): Promise<void> {
		const file = join(this.userFolder, 'credentials.import.json');
		writeFileSync(
			file,
			JSON.stringify([
				{
					id: credential.id,
					name: credential.name,
					type: CREDENTIAL_TYPE,
					data: { environment: 'onPremise', baseUrl: credential.baseUrl, token: credential.token },
				},
				...(ninox4 ? [{ ...NINOX4_CREDENTIAL, type: CREDENTIAL4_TYPE, data: ninox4 }] : []),
			]),
		);
		try {
			await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/**
	 * Imports workflow files from the repo in one CLI call: the credential placeholders get the imported credential
	 * and node types written as an installed community package names them (`n8n-nodes-ninox-api.ninox`) get the
	 * custom-extension name.
	 */
	async importWorkflows(
		paths: string[],
		credential: { id: string; name: string },
		adapt: (workflow: WorkflowFile) => void = () => undefined,
	): Promise<WorkflowFile[]> {
		const folder = join(this.userFolder, 'workflows-to-import');
		rmSync(folder, { recursive: true, force: true });
		mkdirSync(folder, { recursive: true });
		const workflows = paths.map((path) => prepareWorkflow(readFileSync(path, 'utf8'), credential));
		workflows.forEach(adapt);
		for (const workflow of workflows) {
			writeFileSync(join(folder, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		}
		await this.cliOk(['import:workflow', '--separate', `--input=${folder}`]);
		return workflows;
	}

	/** `n8n execute --id=… --rawOutput`: the run data as JSON, or the failure. */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		return { ...result, run: parseRunJson(result.stdout) };
	}

	/** Starts `n8n start` on 127.0.0.1:`port`; resolves once its REST API answers (/healthz answers earlier). */
	async start(port: number, output: (line: string) => void = () => undefined): Promise<RunningN8n> {
		const child = spawn(this.app.nodeBin, [this.app.n8nEntry, 'start'], {
			cwd: this.userFolder,
			env: { ...this.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.track(child);
		const log: string[] = [];
		const collect = (chunk: Buffer) => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (line.trim()) {
					log.push(line);
					output(line);
				}
			}
		};
		child.stdout!.on('data', collect);
		child.stderr!.on('data', collect);
		const baseUrl = `http://127.0.0.1:${port}`;
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`n8n start exited with ${child.exitCode ?? child.signalCode}:\n${tail(log.join('\n'))}`);
			}
			try {
				// While its database migrates, n8n answers every path with a 200 "n8n is starting up" text: wait for JSON.
				const response = await fetch(`${baseUrl}/rest/settings`);
				const json = (response.headers.get('content-type') ?? '').includes('application/json');
				await response.arrayBuffer();
				if (response.ok && json) return new RunningN8n(this.app, child, baseUrl, log);
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		child.kill('SIGKILL');
		throw new Error(`n8n start did not answer /rest/settings within 120 s:\n${tail(log.join('\n'))}`);
	}
}

export interface ExecuteResult extends CliResult {
	/** The run (IRun) as printed by `--rawOutput`, when the output held one. */
	run?: RunJson;
}

export interface RunJson {
	status?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<OutputItem[] | null> }; error?: unknown }>>;
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
		};
	};
}

/** The items of a node's first output in its first run, from run data. */
export function runDataItems(runData: ExecutionDetails['runData'], nodeName: string): OutputItem[] {
	return runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
	[key: string]: unknown;
}

/** Fills a repo workflow file in for this instance (see `importWorkflow`). */
export function prepareWorkflow(text: string, credential: { id: string; name: string }): WorkflowFile {
	const filled = text
		.split('__NINOX_CREDENTIAL_ID__')
		.join(credential.id)
		.split('__NINOX_CREDENTIAL_NAME__')
		.join(credential.name)
		.split('__NINOX4_CREDENTIAL_ID__')
		.join(NINOX4_CREDENTIAL.id)
		.split('__NINOX4_CREDENTIAL_NAME__')
		.join(NINOX4_CREDENTIAL.name)
		.split('__E2E_DIR__')
		.join(__dirname)
		.split(`"${PACKAGE_NAME}.`)
		.join(`"${CUSTOM_PREFIX}.`);
	const workflow = JSON.parse(filled) as WorkflowFile;
	if (!/^[A-Za-z0-9]{16}$/.test(workflow.id)) {
		throw new Error(`Workflow "${workflow.name}" needs a 16-character alphanumeric id (n8n execute --id)`);
	}
	return workflow;
}

/** The JSON document in `execute --rawOutput` output (n8n prints log noise around it). */
export function parseRunJson(stdout: string): RunJson | undefined {
	const start = stdout.search(/^\{/m);
	if (start < 0) return undefined;
	// The document ends at the last line that closes it; anything printed after it is noise.
	const lines = stdout.slice(start).split('\n');
	for (let end = lines.length; end > 0; end--) {
		if (!lines[end - 1].startsWith('}')) continue;
		try {
			return JSON.parse(lines.slice(0, end).join('\n')) as RunJson;
		} catch {
			// keep looking
		}
	}
	return undefined;
}

export interface OutputItem {
	json: Record<string, unknown>;
	binary?: Record<string, { mimeType?: string; fileName?: string; fileSize?: string; id?: string }>;
	pairedItem?: unknown;
}

/** The items a node produced on its first output in its first run. */
export function nodeOutput(run: RunJson | undefined, nodeName: string): OutputItem[] {
	return run?.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/** The JSON of those items. */
export function nodeItems(run: RunJson | undefined, nodeName: string): Array<Record<string, unknown>> {
	return nodeOutput(run, nodeName).map((item) => item.json);
}

export interface WorkflowJson {
	id: string;
	name: string;
	versionId?: string;
	active?: boolean;
	staticData?: Record<string, Record<string, unknown>> | null;
	[key: string]: unknown;
}

export interface ExecutionSummary {
	id: string;
	mode: string;
	status: string;
	workflowId: string;
}

export interface ExecutionDetails {
	status: string;
	mode: string;
	runData: Record<string, Array<{ data?: { main?: Array<OutputItem[] | null> }; error?: unknown }>>;
	error?: { message?: string; description?: string };
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Polls `probe` every 250 ms until it returns a value. */
export async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** A running `n8n start`, driven through the REST API the editor uses (logged in with the `n8n-auth` cookie). */
export class RunningN8n {
	private cookie = '';

	constructor(
		readonly app: N8nApp,
		readonly child: ChildProcess,
		readonly baseUrl: string,
		readonly log: string[],
	) {}

	/** Creates the owner account on a fresh database and keeps its `n8n-auth` cookie. */
	async setupOwner(owner: { email: string; password: string; firstName: string; lastName: string }): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (!response.ok) throw new Error(`POST /rest/owner/setup: ${response.status} ${await response.text()}`);
		this.takeCookie(response);
	}

	async login(email: string, password: string): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		if (!response.ok) throw new Error(`POST /rest/login: ${response.status} ${await response.text()}`);
		this.takeCookie(response);
	}

	private takeCookie(response: Response): void {
		const auth = response.headers
			.getSetCookie()
			.map((cookie) => cookie.split(';')[0])
			.find((cookie) => cookie.startsWith('n8n-auth='));
		if (!auth) throw new Error('n8n answered without an n8n-auth cookie');
		this.cookie = auth;
	}

	/** A JSON request with the login cookie. */
	async rest<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
		return JSON.parse(text) as T;
	}

	async getWorkflow(id: string): Promise<WorkflowJson> {
		return (await this.rest<{ data: WorkflowJson }>('GET', `/rest/workflows/${id}`)).data;
	}

	async activate(id: string): Promise<void> {
		const { versionId } = await this.getWorkflow(id);
		await this.rest('POST', `/rest/workflows/${id}/activate`, { versionId });
	}

	async deactivate(id: string): Promise<void> {
		await this.rest('POST', `/rest/workflows/${id}/deactivate`, {});
	}

	/**
	 * Runs a workflow as the editor's "Execute Workflow" / "Fetch Test Event" do ('manual' mode), starting at
	 * `trigger`, optionally only up to `stopAfter`; resolves with the finished execution.
	 */
	async runManually(id: string, trigger: string, stopAfter?: string): Promise<ExecutionDetails & { id: string }> {
		const workflowData = await this.getWorkflow(id);
		const started = await this.rest<{ data: { executionId?: string; waitingForWebhook?: boolean } }>(
			'POST',
			`/rest/workflows/${id}/run`,
			{
				workflowData,
				triggerToStartFrom: { name: trigger },
				...(stopAfter ? { destinationNode: { nodeName: stopAfter, mode: 'inclusive' } } : {}),
			},
		);
		const executionId = started.data.executionId;
		if (!executionId) throw new Error(`n8n did not start the workflow: ${JSON.stringify(started.data)}`);
		const execution = await until(`execution ${executionId} to finish`, 60_000, async () => {
			const details = await this.execution(executionId);
			return FINISHED.has(details.status) ? details : undefined;
		});
		return { ...execution, id: executionId };
	}

	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return (await this.rest<{ data: { results: ExecutionSummary[] } }>('GET', `/rest/executions?filter=${filter}`)).data.results;
	}

	/** One execution with its run data; n8n sends that `flatted`-encoded, so n8n's own copy of flatted reads it. */
	async execution(id: string): Promise<ExecutionDetails> {
		const { data } = await this.rest<{ data: { status: string; mode: string; data: unknown } }>('GET', `/rest/executions/${id}`);
		const flatted = createRequire(join(this.app.dir, 'node_modules', 'n8n', 'package.json'))('flatted') as {
			parse(text: string): unknown;
		};
		const parsed = (typeof data.data === 'string' ? flatted.parse(data.data) : data.data) as
			| { resultData?: { runData?: ExecutionDetails['runData']; error?: ExecutionDetails['error'] } }
			| undefined;
		// A running execution may have no data yet.
		return {
			status: data.status,
			mode: data.mode,
			runData: parsed?.resultData?.runData ?? {},
			error: parsed?.resultData?.error,
		};
	}

	/** Stops n8n (SIGTERM, then SIGKILL after `graceMs`). */
	async stop(graceMs = 20_000): Promise<void> {
		await stopChild(this.child, graceMs);
	}
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

/**
 * Whether this n8n refuses polls more often than once a minute. 2.8 only rejects a "*" in the seconds field (so
 * "0,10,20,30,40,50 * * * * *" polls every 10 s); later lines reject any seconds field but a single number
 * (`isSubMinuteCron` in n8n-workflow), so the e2e trigger then polls every minute.
 */
export function refusesSubMinutePolls(app: N8nApp): boolean {
	const workflowPackage = createRequire(join(app.dir, 'node_modules', 'n8n', 'package.json'))('n8n-workflow') as Record<string, unknown>;
	return typeof workflowPackage.isSubMinuteCron === 'function';
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export function tail(text: string, lines = 40): string {
	return text.trim().split('\n').slice(-lines).join('\n');
}
