import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';
import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { NinoxTokenApi } from '../credentials/NinoxTokenApi.credentials';
import { ninoxBaseUrl } from '../nodes/Ninox/transport/baseUrl';
import { localCredentials, runNode, shutdownEngine, TestCredentialsHelper } from './harness/engine';
import type { NinoxServer } from './server';
import { startNinoxServer } from './server';

const credentialType = new NinoxTokenApi();

/** Evaluates an n8n expression with `$credentials` the way n8n resolves the credential test request. */
function evaluate(expression: string, credentials: ICredentialDataDecryptedObject): unknown {
	const workflow = new Workflow({
		nodes: [{ id: '1', name: 'Node', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => undefined as never,
			getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
			getKnownTypes: () => ({}),
		},
	});
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'Node', [], 'internal', {
		$credentials: credentials,
	} as IDataObject);
}

const testBaseUrl = (credentials: ICredentialDataDecryptedObject) =>
	evaluate(credentialType.test.request.baseURL as string, credentials);

let server: NinoxServer;
beforeAll(async () => {
	server = await startNinoxServer();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

describe('base URL for each environment', () => {
	const cases: Array<[ICredentialDataDecryptedObject, string]> = [
		[{ environment: 'publicCloud' }, 'https://api.ninox.com/v1'],
		[{ environment: 'privateCloud', workspace: 'mycompany' }, 'https://mycompany.ninoxdb.de/v1'],
		[{ environment: 'privateCloud', workspace: ' mycompany.ninoxdb.de/ ' }, 'https://mycompany.ninoxdb.de/v1'],
		[{ environment: 'privateCloud', workspace: 'ninox.example.com' }, 'https://ninox.example.com/v1'],
		[{ environment: 'privateCloud', workspace: 'https://ninox.example.com/v1/' }, 'https://ninox.example.com/v1'],
		[{ environment: 'onPremise', baseUrl: 'https://ninox.corp.local' }, 'https://ninox.corp.local/v1'],
		[{ environment: 'onPremise', baseUrl: 'https://ninox.corp.local/' }, 'https://ninox.corp.local/v1'],
		[{ environment: 'onPremise', baseUrl: 'https://ninox.corp.local/v1' }, 'https://ninox.corp.local/v1'],
		[{ environment: 'onPremise', baseUrl: 'http://10.0.0.5:8080/v1//' }, 'http://10.0.0.5:8080/v1'],
		[{ environment: 'onPremise', baseUrl: 'https://host/ninox/' }, 'https://host/ninox/v1'],
		// a bare host means https, as for the Private Cloud (it was "Invalid URL")
		[{ environment: 'onPremise', baseUrl: ' ninox.corp.local ' }, 'https://ninox.corp.local/v1'],
		[{ environment: 'onPremise', baseUrl: '10.0.0.5:8080' }, 'https://10.0.0.5:8080/v1'],
	];

	it.each(cases)('%j → %s (node transport and credential test agree)', (credentials, expected) => {
		expect(ninoxBaseUrl(credentials)).toBe(expected);
		expect(testBaseUrl(credentials)).toBe(expected);
	});
});

describe('credential test request', () => {
	it('is GET {base}/teams, and succeeds against a server with the right token', async () => {
		const credentials = localCredentials(server);
		expect(credentialType.test.request.url).toBe('/teams');
		const url = `${testBaseUrl(credentials) as string}${credentialType.test.request.url}`;
		const helper = new TestCredentialsHelper(credentials);
		const workflow = new Workflow({
			nodes: [],
			connections: {},
			active: false,
			nodeTypes: { getByName: () => undefined as never, getByNameAndVersion: () => undefined as never, getKnownTypes: () => ({}) },
		});
		const authenticated = await helper.authenticate(credentials, 'ninoxTokenApi', { url, method: 'GET' }, workflow, {
			name: 'Node',
		} as never);
		const response = await request(authenticated.url, { headers: authenticated.headers as Record<string, string> });
		expect(response.statusCode).toBe(200);
		const teams = (await response.body.json()) as Array<{ id: string; name: string }>;
		expect(teams.length).toBeGreaterThan(0);
		expect(Object.keys(teams[0]).sort()).toEqual(['id', 'name']);

		const wrong = await request(url, { headers: { authorization: 'Bearer wrong-token' } });
		expect(wrong.statusCode).toBe(401);
		await wrong.body.dump();
	});
});

/**
 * The credential test as the n8n app runs it (CredentialsTester): a declarative node whose one property routes the
 * credential's `test.request`, executed by n8n-core's RoutingNode; then every `responseSuccessBody` rule is checked
 * against the first item (lodash `get` of the key equal to the value → the rule's message).
 */
const credentialTestNode: INodeType = {
	description: {
		displayName: 'Credential Test',
		name: 'credentialTest',
		group: ['transform'],
		version: 1,
		description: 'The request n8n sends to test a Ninox credential',
		defaults: { name: 'Credential Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'ninoxTokenApi', required: true }],
		properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } }],
	},
};

async function testCredential(credentials: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const { items, error } = await runNode({
		nodeType: 'test.credentialTest',
		extraNodeTypes: { 'test.credentialTest': credentialTestNode },
		parameters: {},
		credentials,
	});
	if (error) return { status: 'Error', message: error.httpCode ? `HTTP ${error.httpCode}` : error.message };
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value: unknown = (items[0]?.json as unknown as Record<string, unknown>)?.[rule.properties.key];
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** A server answering every path with a fixed 200 page, as n8n's own editor does for /v1/teams on :5678. */
async function startPageServer(contentType: string, body: string): Promise<{ url: string; close: () => Promise<void> }> {
	const page = http.createServer((_request, response) => {
		response.writeHead(200, { 'content-type': contentType });
		response.end(body);
	});
	await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(page.address() as AddressInfo).port}`,
		close: async () => await new Promise<void>((resolve) => page.close(() => resolve())),
	};
}

describe('the credential test proves the server is Ninox', () => {
	const N8N_PAGE = '<!DOCTYPE html>\n<html lang="en">\n\t<head>\n\t\t<meta charset="utf-8" />\n\t\t<meta name="n8n:config:rest-endpoint" content="cmVzdA==" />';

	it('passes against Ninox (a JSON list of teams)', async () => {
		expect(await testCredential(localCredentials(server))).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('fails with a clear message against n8n itself (a web page with 200)', async () => {
		const n8n = await startPageServer('text/html; charset=utf-8', N8N_PAGE);
		try {
			const result = await testCredential({ environment: 'onPremise', baseUrl: n8n.url, token: server.token });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^This server answered, but not as the Ninox API does: check the environment and the server URL/);
		} finally {
			await n8n.close();
		}
	});

	it('fails against another JSON API (an object, not a list of teams)', async () => {
		const other = await startPageServer('application/json', '{"status":"ok"}');
		try {
			expect(await testCredential({ environment: 'onPremise', baseUrl: other.url, token: server.token })).toMatchObject({
				status: 'Error',
				message: expect.stringMatching(/not as the Ninox API does/),
			});
		} finally {
			await other.close();
		}
	});

	it('fails on a wrong token (401)', async () => {
		expect(await testCredential({ ...localCredentials(server), token: 'wrong-token-4711' })).toEqual({ status: 'Error', message: 'HTTP 401' });
	});

	it('tries https for an address without a scheme instead of failing with "Invalid URL", and says so in the field hint', async () => {
		const result = await testCredential({ environment: 'onPremise', baseUrl: server.url.replace('http://', ''), token: server.token });
		// the local server speaks plain http: https reaches it and fails in TLS, not on the URL
		expect(result.status).toBe('Error');
		expect(result.message).not.toMatch(/invalid url/i);
		expect(credentialType.properties.find((property) => property.name === 'baseUrl')?.hint).toMatch(/https:\/\/ is assumed/);
	});
});

describe('every environment reaches Ninox through the engine', () => {
	const teamsParameters = { resource: 'team', operation: 'getAll' };

	it('Public Cloud sends to https://api.ninox.com/v1 with the Bearer token', async () => {
		const local = new URL(server.apiUrl);
		const { items, error, credentialsHelper } = await runNode({
			parameters: teamsParameters,
			credentials: { environment: 'publicCloud', token: server.token },
			// api.ninox.com cannot be reached from here: the harness forwards it to the local server.
			rewriteUrl: (url) => url.replace('https://api.ninox.com/v1', local.href.replace(/\/$/, '')),
		});
		expect(error).toBeUndefined();
		expect(credentialsHelper.sent.map((sent) => sent.url)).toEqual(['https://api.ninox.com/v1/teams']);
		expect(items.length).toBeGreaterThan(0);
		expect(server.requests.at(-1)).toMatchObject({ method: 'GET', rawPath: '/v1/teams', authorized: true });
	});

	it('Private Cloud with a custom domain (scheme and trailing slash given)', async () => {
		const { items, error } = await runNode({
			parameters: teamsParameters,
			credentials: { environment: 'privateCloud', workspace: `${server.url}/`, token: server.token },
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
	});

	it('On-Premise with /v1/ typed by the user does not double /v1', async () => {
		server.clearLog();
		const { items, error } = await runNode({
			parameters: teamsParameters,
			credentials: { environment: 'onPremise', baseUrl: `${server.url}/v1/`, token: server.token },
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(server.requests.map((r) => r.rawPath)).toEqual(['/v1/teams']);
	});

	it('a wrong token gives a clear 401 error that does not contain the token', async () => {
		const token = 'wrong-secret-token-4711';
		const { error } = await runNode({
			parameters: teamsParameters,
			credentials: { ...localCredentials(server), token },
		});
		expect(error).toBeDefined();
		expect(error!.message).toBe('Ninox rejected the personal access token (401 Unauthorized)');
		expect(error!.httpCode).toBe('401');
		expect(error!.description).toMatch(/Integrations/);
		expect(JSON.stringify(error)).not.toContain(token);
		expect(String(error!.stack)).not.toContain(token);
	});

	it('a URL that is not a URL is reported before anything is sent', async () => {
		server.clearLog();
		const { error } = await runNode({
			parameters: teamsParameters,
			credentials: { environment: 'onPremise', baseUrl: 'not a url', token: server.token },
		});
		expect(error?.message).toMatch(/not a valid URL/);
		expect(server.requests).toHaveLength(0);
	});

	it('a wrong scheme is reported', async () => {
		const { error } = await runNode({
			parameters: teamsParameters,
			credentials: { environment: 'onPremise', baseUrl: 'ftp://127.0.0.1:1', token: server.token },
		});
		expect(error?.message).toMatch(/must start with https:\/\//);
	});

	it('a host that refuses connections gives a clear error, quickly', async () => {
		const started = Date.now();
		const { error } = await runNode({
			parameters: teamsParameters,
			credentials: { environment: 'onPremise', baseUrl: 'http://127.0.0.1:9', token: server.token },
		});
		expect(error?.message).toBe('Could not reach Ninox at http://127.0.0.1:9/v1');
		expect(error?.description).toMatch(/^\(ECONNREFUSED\) Check the environment and URL/);
		expect(Date.now() - started).toBeLessThan(5000);
	});
});
