/**
 * Ninox 4: the credential and its test, Script, View and Report, and what goes wrong: a wrong key, an HTML page
 * instead of the API, a key without scope, the key in outputs, errors and logs.
 */
import { request } from 'undici';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Ninox4Api } from '../../credentials/Ninox4Api.credentials';
import { ninox4ApiRoot } from '../../nodes/Ninox4/transport/connection';
import { localNinox4Credentials, NINOX4_NODE, runNode, shutdownEngine, TestCredentialsHelper } from '../harness/engine';
import type { Ninox4Server } from '../server4';
import { DEMO4, startNinox4Server } from '../server4';

const credentialType = new Ninox4Api();
let server: Ninox4Server;
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const contacts = { module: byName(DEMO4.module), table: byName(DEMO4.contacts) };

const workflow = () =>
	new Workflow({
		nodes: [{ id: '1', name: 'Node', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => undefined as never,
			getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
			getKnownTypes: () => ({}),
		},
	});

/** An n8n expression with `$credentials`, resolved the way n8n resolves the credential test request. */
function evaluate(expression: string, credentials: ICredentialDataDecryptedObject): unknown {
	return workflow().expression.getParameterValue(expression, null, 0, 0, 'Node', [], 'internal', {
		$credentials: credentials,
	} as IDataObject);
}

/** What n8n's credential tester does with the test request: send it, fail on an error status, then apply the rules. */
async function credentialTest(credentials: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const url = `${evaluate(credentialType.test.request.baseURL as string, credentials) as string}${credentialType.test.request.url}`;
	const helper = new TestCredentialsHelper(credentials);
	const authenticated = await helper.authenticate(credentials, 'ninox4Api', { url, method: 'GET' }, workflow(), { name: 'Node' } as never);
	const response = await request(authenticated.url, { headers: authenticated.headers as Record<string, string> });
	const text = await response.body.text();
	if (response.statusCode >= 400) return { status: 'Error', message: `${response.statusCode} ${text}` };
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// n8n keeps a non-JSON body as text
	}
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const value = typeof body === 'object' && body !== null ? (body as IDataObject)[rule.properties.key] : undefined;
			if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

beforeAll(async () => {
	server = await startNinox4Server();
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(
	parameters: INodeParameters,
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean; credentials?: ICredentialDataDecryptedObject } = {},
) {
	return await runNode({
		nodeType: NINOX4_NODE,
		parameters,
		credentials: options.credentials ?? localNinox4Credentials(server),
		items: options.items,
		continueOnFail: options.continueOnFail,
	});
}

describe('credential', () => {
	const cases: Array<[ICredentialDataDecryptedObject, string]> = [
		[{ workspaceId: 'k7x2m9p4q1ws' }, 'https://go.ninox.com/api/v1/workspace/k7x2m9p4q1ws'],
		[{ workspaceId: ' k7x2m9p4q1ws ', baseUrl: 'https://go.ninox.com/' }, 'https://go.ninox.com/api/v1/workspace/k7x2m9p4q1ws'],
		[{ workspaceId: 'k7x2m9p4q1ws', baseUrl: 'https://ninox.example.com/api/v1/' }, 'https://ninox.example.com/api/v1/workspace/k7x2m9p4q1ws'],
		[{ workspaceId: 'k7x2m9p4q1ws', baseUrl: ' http://127.0.0.1:8788 ' }, 'http://127.0.0.1:8788/api/v1/workspace/k7x2m9p4q1ws'],
		[{ workspaceId: 'k7x2m9p4q1ws', baseUrl: 'go.ninox.com' }, 'https://go.ninox.com/api/v1/workspace/k7x2m9p4q1ws'],
	];
	it.each(cases)('%j → %s (node transport and credential test agree)', (credentials, expected) => {
		expect(ninox4ApiRoot(credentials)).toBe(expected);
		expect(evaluate(credentialType.test.request.baseURL as string, credentials)).toBe(expected);
	});

	it('the test passes only on a JSON data answer: a wrong key (text 401) and a web page (HTML 200) fail it', async () => {
		expect(await credentialTest(localNinox4Credentials(server))).toEqual({ status: 'OK', message: 'Connection successful!' });
		// A key pasted with a line break still works: it is trimmed where it is applied.
		expect((await credentialTest({ ...localNinox4Credentials(server), apiKey: ` ${server.key}\n` })).status).toBe('OK');
		expect(await credentialTest({ ...localNinox4Credentials(server), apiKey: 'wrong' })).toEqual({
			status: 'Error',
			message: '401 Workspace orchestrator error',
		});
		const page = await credentialTest({ ...localNinox4Credentials(server), baseUrl: `${server.url}/app` });
		expect(page.status).toBe('Error');
		expect(page.message).toContain('not from the Ninox 4 API');
	});

	it('a workspace ID that is not 12 lowercase letters and digits is refused before any request', async () => {
		const { error } = await run(
			{ resource: 'workspace', operation: 'get' },
			{ credentials: { ...localNinox4Credentials(server), workspaceId: 'My-Workspace' } },
		);
		expect(error?.message).toContain('workspace ID "My-Workspace" is not 12 lowercase letters and digits');
		expect(server.log).toHaveLength(0);
	});
});

describe('Script → Execute', () => {
	it('POST /script/exec {moduleName, script, tableName, rowId}: the result as `result`, never sent twice', async () => {
		const { items } = await run({
			resource: 'script',
			operation: 'execute',
			module: byName('crm'),
			script: 'count(select contacts)',
		});
		expect(items[0].json).toEqual({ result: DEMO4.contactCount });
		expect(server.log[0]).toMatchObject({ method: 'POST', segments: ['script', 'exec'], body: { moduleName: 'crm', script: 'count(select contacts)' } });

		server.clearLog();
		server.faults.add({ kind: '502', match: { method: 'POST' } });
		const failed = await run(
			{ resource: 'script', operation: 'execute', module: byName('crm'), script: 'count(select contacts)', options: { tableName: 'contacts', rowId: '3' } },
			{ continueOnFail: true },
		);
		server.faults.clear();
		expect(server.log).toHaveLength(1);
		expect(server.log[0].body).toMatchObject({ tableName: 'contacts', rowId: 3 });
		expect(failed.items[0].json.error).toBeDefined();
		expect(String(failed.items[0].json.description)).toContain('may or may not have applied');
	});

	it('an empty script and a Record ID without table are refused', async () => {
		const { items } = await run(
			{ resource: 'script', operation: 'execute', module: byName('crm'), script: '={{ $json.s }}', options: { rowId: '={{ $json.r }}' } },
			{ items: [{ json: { s: ' ' } }, { json: { s: '1', r: '2' } }], continueOnFail: true },
		);
		expect(items.map((item) => item.json.error)).toEqual(['The Script is empty', 'A Record ID needs the Table Name']);
		expect(server.log).toHaveLength(0);
	});
});

describe('View and Report', () => {
	it('View → Get Many and Get', async () => {
		const views = await run({ resource: 'view', operation: 'getAll', ...contacts, returnAll: true });
		expect(views.items.map((item) => item.json.id)).toEqual(expect.arrayContaining([DEMO4.views.allContacts, DEMO4.views.leads]));
		const view = await run({ resource: 'view', operation: 'get', viewId: DEMO4.views.leads });
		expect(view.items[0].json).toMatchObject({ id: DEMO4.views.leads });
		expect(server.log[server.log.length - 1].segments).toEqual(['views', DEMO4.views.leads]);
	});

	it('Report → Get Many, Get, and Print: the PDF as binary, fetched without the API key', async () => {
		const reports = await run({ resource: 'report', operation: 'getAll', ...contacts, returnAll: true });
		expect(reports.items.map((item) => item.json.id)).toContain(DEMO4.reports.contactCard);
		const report = await run({ resource: 'report', operation: 'get', reportId: DEMO4.reports.contactCard });
		expect(report.items[0].json.id).toBe(DEMO4.reports.contactCard);

		server.clearLog();
		const { items, error } = await run({ resource: 'report', operation: 'print', reportId: DEMO4.reports.contactCard, recordIds: '5, 6, 7' });
		expect(error).toBeUndefined();
		expect(server.log.map((entry) => [entry.method, entry.hasAuthorization])).toEqual([
			['POST', true],
			['GET', false],
		]);
		expect(server.log[0].body).toEqual({ rowId: 5, rowIds: [6, 7] });
		const binary = items[0].binary!.data;
		expect(binary.mimeType).toBe('application/pdf');
		expect(Buffer.from(binary.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
		expect(items[0].json).toMatchObject({ reportId: DEMO4.reports.contactCard, recordIds: [5, 6, 7] });
	});

	it('more than 250 records, or none, are refused before printing', async () => {
		const { items } = await run(
			{ resource: 'report', operation: 'print', reportId: DEMO4.reports.contactCard, recordIds: '={{ $json.ids }}' },
			{ items: [{ json: { ids: Array.from({ length: 251 }, (_, i) => i + 1) } }, { json: { ids: '' } }], continueOnFail: true },
		);
		expect(items[0].json.error).toBe('251 records are more than a report prints at once');
		expect(items[1].json.error).toBe('No record to print');
		expect(server.log).toHaveLength(0);
	});
});

describe('what goes wrong', () => {
	it('a wrong key: the text 401 becomes a clear error, the same for every item, each paired', async () => {
		const { items } = await run(
			{ resource: 'record', operation: 'get', ...contacts, recordId: '={{ $json.id }}' },
			{ items: [{ json: { id: 1 } }, { json: { id: 2 } }], continueOnFail: true, credentials: { ...localNinox4Credentials(server), apiKey: 'wrong-key' } },
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of items) {
			expect(item.json).toMatchObject({ error: 'Ninox 4 rejected the API key (401 Unauthorized)', httpCode: '401' });
			expect(item.json.description).toContain('"Workspace orchestrator error"');
		}
		// A 401 is not retried.
		expect(server.log).toHaveLength(2);
	});

	it('an HTML page instead of the API is reported at once, not retried', async () => {
		const { error } = await run(
			{ resource: 'workspace', operation: 'get' },
			{ credentials: { ...localNinox4Credentials(server), baseUrl: `${server.url}/app` } },
		);
		expect(error?.message).toBe('Ninox 4 answered GET / with a web page, not the API (HTTP 200)');
		expect(error?.description).toContain('check the Base URL and the workspace ID');
		expect(server.log).toHaveLength(1);
	});

	it('a silent server: a create times out after the Timeout option and is reported in doubt, not resent', async () => {
		server.faults.add({ kind: 'silent', match: { method: 'POST' } });
		const { items } = await run(
			{
				resource: 'record',
				operation: 'create',
				...contacts,
				fieldsInput: 'json',
				fieldsJson: '{"last_name": "Slow"}',
				requestOptions: { timeout: 1 },
			},
			{ continueOnFail: true },
		);
		expect(items[0].json.inDoubt).toBe(true);
		expect(server.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	it('a key with a space inside is refused before sending, naming the API key', async () => {
		const { error } = await run(
			{ resource: 'workspace', operation: 'get' },
			{ credentials: { ...localNinox4Credentials(server), apiKey: 'abc def-0123456789' } },
		);
		expect(error?.message).toBe('The API key in the Ninox 4 credential holds spaces or line breaks');
		expect(server.log).toHaveLength(0);
	});

	it('an answer without data (an endpoint this workspace does not offer) is a clear error', async () => {
		server.faults.add({ kind: 'json-null', match: { method: 'GET' } });
		const { error } = await run({ resource: 'view', operation: 'get', viewId: DEMO4.views.leads });
		expect(error?.message).toBe(`Ninox 4 answered GET /views/${DEMO4.views.leads} without data`);
		expect(error?.description).toContain("not in Ninox 4's published spec");
	});

	it('a key without the scope: 403 names the scope to add', async () => {
		server.addKey('read-only-key-123456', []);
		const { error } = await run(
			{ resource: 'module', operation: 'create', name: 'x1' },
			{ credentials: { ...localNinox4Credentials(server), apiKey: 'read-only-key-123456' } },
		);
		expect(error).toMatchObject({ httpCode: '403' });
		expect(error?.message).toContain('Insufficient API key scope');
		expect(error?.description).toContain('schema:write');
	});

	it('the key never appears in an output, an error or a log line', async () => {
		const logged: string[] = [];
		const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
			jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
				logged.push(args.map(String).join(' '));
			}),
		);
		// A careless proxy that quotes the Authorization header back, as JSON and as text.
		server.faults.add({ kind: 'echo-auth', status: 400, match: { method: 'GET' } });
		server.faults.add({ kind: 'echo-auth', status: 500, text: true, match: { method: 'POST' } });
		const runs = [
			await run({ resource: 'module', operation: 'get', module: byName('crm') }),
			await run({ resource: 'script', operation: 'execute', module: byName('crm'), script: '1' }),
			await run({ resource: 'record', operation: 'getAll', ...contacts, returnAll: false, limit: 5 }),
			await run({ resource: 'record', operation: 'get', ...contacts, recordId: '99999' }, { continueOnFail: true }),
			await run({ resource: 'module', operation: 'get', module: byName('nope') }),
			await run({ resource: 'record', operation: 'create', ...contacts, fieldsInput: 'json', fieldsJson: '{"emial": 1}' }),
			await run({ resource: 'report', operation: 'print', reportId: DEMO4.reports.contactCard, recordIds: '1' }),
		];
		for (const spy of spies) spy.mockRestore();
		const text = JSON.stringify(runs.map(({ items, error }) => ({ items, error, stack: error?.stack }))) + logged.join('\n');
		expect(text.length).toBeGreaterThan(1000);
		expect(text).not.toContain(server.key);
		expect(runs[0].error?.message).toContain('***');
		expect(runs[1].error?.message).toContain('***');
		expect(runs[4].error?.message).toContain('(404)');
	});
});
