import type { INodeExecutionData, INodeParameters, INodeProperties } from 'n8n-workflow';

import { Ninox } from '../nodes/Ninox/Ninox.node';

import { MAX_ENCODED_GET_SCRIPT_LENGTH } from '../nodes/Ninox/actions/script/query.operation';
import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;

/** A record in the Simplified output shape: its own keys, then one key per field. */
const simplified = ({ fields, ...own }: { fields: Record<string, unknown> }) => ({ ...own, ...fields });

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const QUERY_PATH = ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'query'];
const EXEC_PATH = ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'exec'];

/** A script with both quote kinds, escapes, line breaks, a comment and non-ASCII text. */
const TRICKY_SCRIPT = [
	'// Grüße – "quoted" & \'single\' ✓',
	'let greeting := "Zoë \\"the\\" \'ü\' 美咲 & 100% #1?";',
	'greeting',
].join('\n');
const TRICKY_RESULT = 'Zoë "the" \'ü\' 美咲 & 100% #1?';

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
});
afterEach(() => {
	server.faults.clear();
	server.clearLog();
});
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function script(
	operation: 'query' | 'execute',
	scriptText: string,
	options: INodeParameters = {},
	run: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	return await runNode({
		parameters: {
			resource: 'script',
			operation,
			team: byId(DEMO.teamId),
			database: byId(DEMO.dbId),
			script: scriptText,
			options,
		},
		credentials: localCredentials(server),
		...run,
	});
}

function contactCount(): number {
	return server.store.table(DEMO.teamId, DEMO.dbId, 'A').records.size;
}

describe('Script → Query', () => {
	it('sends a short script as GET …/query?query=… and wraps a non-object result as {result}', async () => {
		const { items, error } = await script('query', 'count(select Contact)');
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { result: DEMO.contactCount }, pairedItem: { item: 0 } }]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: QUERY_PATH,
			query: { query: 'count(select Contact)' },
			body: undefined,
			status: 200,
		});
	});

	it('delivers quotes, line breaks and unicode unchanged in the GET query string', async () => {
		const { items } = await script('query', TRICKY_SCRIPT);
		expect(items[0].json).toEqual({ result: TRICKY_RESULT });
		expect(server.requests[0].method).toBe('GET');
		expect(server.requests[0].query.query).toBe(TRICKY_SCRIPT);
		// Encoded once, as a single parameter: nothing in the script leaks into the URL's structure.
		expect(Object.keys(server.requests[0].query)).toEqual(['query']);
	});

	it('delivers the same script unchanged in a POST body when asked to', async () => {
		const { items } = await script('query', TRICKY_SCRIPT, { forcePost: true });
		expect(items[0].json).toEqual({ result: TRICKY_RESULT });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'POST',
			segments: QUERY_PATH,
			query: {},
			body: { query: TRICKY_SCRIPT },
			status: 200,
		});
	});

	it(`switches to POST above ${MAX_ENCODED_GET_SCRIPT_LENGTH} URL-encoded characters`, async () => {
		// "ü" is 6 characters URL-encoded (%C3%BC); `"…"` adds 6 (%22 twice).
		const fits = `"${'ü'.repeat(Math.floor((MAX_ENCODED_GET_SCRIPT_LENGTH - 6) / 6))}"`;
		const tooLong = `"${'ü'.repeat(Math.floor((MAX_ENCODED_GET_SCRIPT_LENGTH - 6) / 6) + 1)}"`;
		expect(encodeURIComponent(fits).length).toBeLessThanOrEqual(MAX_ENCODED_GET_SCRIPT_LENGTH);
		expect(encodeURIComponent(tooLong).length).toBeGreaterThan(MAX_ENCODED_GET_SCRIPT_LENGTH);

		const short = await script('query', fits);
		const long = await script('query', tooLong);
		expect(short.items[0].json.result).toBe(fits.slice(1, -1));
		expect(long.items[0].json.result).toBe(tooLong.slice(1, -1));
		expect(server.requests.map((request) => [request.method, request.query.query, request.body])).toEqual([
			['GET', fits, undefined],
			['POST', undefined, { query: tooLong }],
		]);
	});

	it('splits an array result into items paired with their input item', async () => {
		const input = [{ json: { name: 'Tim' } }, { json: { name: 'Sophie' } }];
		const { items } = await script(
			'query',
			"={{ '(select Contact where \\'First Name\\' = \"' + $json.name + '\").\\'First Name\\'' }}",
			{ splitIntoItems: true },
			{ items: input },
		);
		const timCount = server.store.getRecords(DEMO.teamId, DEMO.dbId, 'A').filter((r) => r.fields['First Name'] === 'Tim').length;
		const sophieCount = server.store.getRecords(DEMO.teamId, DEMO.dbId, 'A').filter((r) => r.fields['First Name'] === 'Sophie').length;
		expect(items).toHaveLength(timCount + sophieCount);
		expect(items.slice(0, timCount).every((item) => item.json.result === 'Tim' && (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(items.slice(timCount).every((item) => item.json.result === 'Sophie' && (item.pairedItem as { item: number }).item === 1)).toBe(true);
		expect(server.requests.map((request) => request.query.query)).toEqual([
			"(select Contact where 'First Name' = \"Tim\").'First Name'",
			"(select Contact where 'First Name' = \"Sophie\").'First Name'",
		]);
	});

	it('returns the whole array in one item with Split Into Items off', async () => {
		const { items } = await script('query', "(select Contact where Kind = \"Company\" and 'Score' > 90).'First Name'", {
			splitIntoItems: false,
		});
		expect(items).toHaveLength(1);
		expect(Array.isArray(items[0].json.result)).toBe(true);
	});

	it('splits into items and returns full records while those options are not added: their defaults are on', async () => {
		const { items, error } = await script('query', "select Contact where 'First Name' = \"Tim\"");
		expect(error).toBeUndefined();
		const expected = server.store
			.getRecords(DEMO.teamId, DEMO.dbId, 'A')
			.filter((record) => record.fields['First Name'] === 'Tim');
		// in the record operations' Simplified shape, like Output's default says
		expect(items.map((item) => item.json)).toEqual(expected.map(simplified));
		// short scripts go as GET unless Always Send As POST is added
		expect(server.requests[0]).toMatchObject({ method: 'GET', query: { query: "select Contact where 'First Name' = \"Tim\"" } });
	});

	it('shows as defaults what it does without the options', () => {
		const options = (operation: string) =>
			new Ninox().description.properties.find(
				(property) =>
					property.name === 'options' &&
					property.displayOptions?.show?.resource?.includes('script') &&
					property.displayOptions?.show?.operation?.includes(operation),
			)?.options as INodeProperties[];
		const defaults = (operation: string) => Object.fromEntries(options(operation).map((option) => [option.name, option.default]));
		expect(defaults('query')).toEqual({ forcePost: false, fullRecords: true, output: 'simplified', splitIntoItems: true });
		expect(defaults('execute')).toEqual({ fullRecords: true, output: 'simplified', splitIntoItems: true });
	});

	it('handles an empty array result: no items when split, {result: []} otherwise', async () => {
		const none = 'select Contact where \'First Name\' = "Nobody"';
		const split = await script('query', none, { splitIntoItems: true });
		expect(split.error).toBeUndefined();
		expect(split.items).toEqual([]);
		const whole = await script('query', none, { splitIntoItems: false });
		expect(whole.items).toEqual([{ json: { result: [] }, pairedItem: { item: 0 } }]);
	});

	it('wraps a null result as {result: null}', async () => {
		const { items } = await script('query', 'null');
		expect(items).toEqual([{ json: { result: null }, pairedItem: { item: 0 } }]);
	});

	it('returns full records for record references: one GET per single record, ids= for many', async () => {
		const single = await script('query', 'first(select Contact)', { fullRecords: true, output: 'raw' });
		expect(single.items).toHaveLength(1);
		expect(single.items[0].json).toMatchObject({ id: 1, fields: { 'First Name': 'Tim' } });
		expect(server.requests.map((request) => [request.method, request.segments.slice(4)])).toEqual([
			['GET', ['query']],
			['GET', ['tables', 'A', 'records', '1']],
		]);
		server.clearLog();

		const many = await script('query', "select Contact where 'First Name' = \"Tim\"", {
			fullRecords: true,
			splitIntoItems: true,
			output: 'raw',
		});
		const expected = server.store
			.getRecords(DEMO.teamId, DEMO.dbId, 'A')
			.filter((record) => record.fields['First Name'] === 'Tim');
		expect(expected.length).toBeGreaterThan(1);
		expect(many.items.map((item) => item.json)).toEqual(expected);
		expect(many.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(server.requests).toHaveLength(2);
		expect(server.requests[1]).toMatchObject({
			method: 'GET',
			segments: ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', 'A', 'records'],
			query: { ids: expected.map((record) => record.id).join(','), page: '0', perPage: '1000' },
		});
	});

	it('keeps references as text without the full-records option', async () => {
		const { items } = await script('query', 'first(select Contact)', { fullRecords: false });
		expect(items[0].json).toEqual({ result: 'A1' });
		expect(server.requests).toHaveLength(1);
	});

	it("surfaces Ninox's message for an unsupported script (400), paired under continueOnFail", async () => {
		const failed = await script('query', 'if true then 1 else 2 end');
		expect(failed.error?.message).toBe("Unsupported script: 'if' (at 0) (400)");
		expect(failed.error?.httpCode).toBe('400');
		expect(server.requests.map((request) => request.status)).toEqual([400]);

		const { items, error } = await script(
			'query',
			'={{ $json.script }}',
			{},
			{ items: [{ json: { script: 'count(select Company)' } }, { json: { script: 'for x in [1] do x end' } }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: { result: DEMO.companyCount }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: "Unsupported script: 'for' (at 0) (400)", httpCode: '400' }), pairedItem: { item: 1 } },
		]);
	});

	it('is refused by Ninox for a script that writes, leaving the data unchanged', async () => {
		const before = contactCount();
		const { error } = await script('query', 'create Contact');
		expect(error?.message).toMatch(/\(400\)$/);
		expect(contactCount()).toBe(before);
	});

	it('refuses an empty script before sending anything', async () => {
		const { error } = await script('query', '={{ $json.script }}', {}, { items: [{ json: { script: '   ' } }] });
		expect(error?.message).toBe('The Script parameter is empty');
		expect(server.requests).toHaveLength(0);
	});

	it('retries the read-only POST after a 503 (it changes nothing)', async () => {
		server.faults.add({ kind: '503', match: { method: 'POST', path: /\/query$/ } });
		const { items, error } = await script('query', 'count(select Company)', { forcePost: true });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ result: DEMO.companyCount });
		expect(server.requests.map((request) => [request.method, request.status])).toEqual([
			['POST', 503],
			['POST', 200],
		]);
	});
});

describe('Script → Execute', () => {
	const CREATE = [
		'let c := (create Contact);',
		'c.\'First Name\' := "Ünïcode \\"Quote\\" 東京";',
		"c.'Last Name' := \"O'Neil\";",
		'c',
	].join('\n');

	it('runs a writable script once with POST …/exec {query} and creates the record', async () => {
		const before = contactCount();
		const { items, error } = await script('execute', CREATE, { fullRecords: false });
		expect(error).toBeUndefined();
		expect(contactCount()).toBe(before + 1);
		const created = server.store
			.getRecords(DEMO.teamId, DEMO.dbId, 'A')
			.find((record) => record.fields['First Name'] === 'Ünïcode "Quote" 東京');
		expect(created?.fields['Last Name']).toBe("O'Neil");
		expect(items).toEqual([{ json: { result: `A${created?.id}` }, pairedItem: { item: 0 } }]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'POST',
			segments: EXEC_PATH,
			query: {},
			body: { query: CREATE },
			status: 200,
		});
	});

	it('returns the created record in full when asked to', async () => {
		const { items } = await script('execute', CREATE, { fullRecords: true });
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ 'First Name': 'Ünïcode "Quote" 東京', 'Last Name': "O'Neil" });
		expect(items[0].json).not.toHaveProperty('fields');
		expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
	});

	it('is sent exactly once when Ninox answers 503, with a clear error', async () => {
		server.faults.add({ kind: '503', match: { method: 'POST', path: /\/exec$/ } });
		const before = contactCount();
		const { error, items } = await script('execute', CREATE);
		expect(items).toEqual([]);
		expect(error?.message).toBe('Ninox server error (503): Service Unavailable');
		expect(error?.description).toContain('not repeated');
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({ method: 'POST', segments: EXEC_PATH, status: 503 });
		expect(contactCount()).toBe(before);
	});

	it('is not repeated when the connection breaks after Ninox ran it, and says so', async () => {
		server.faults.add({ kind: 'reset-after', match: { method: 'POST', path: /\/exec$/ } });
		const before = contactCount();
		const { error } = await script('execute', CREATE);
		expect(error?.message).toMatch(/connection to Ninox broke/);
		expect(error?.description).toMatch(/may or may not have applied/);
		expect(server.requests).toHaveLength(1);
		expect(contactCount()).toBe(before + 1);
	});

	it('names a referenced record that no longer exists instead of returning a half result', async () => {
		const { error, items } = await script('execute', 'let c := (create Contact); delete c; c', { fullRecords: true });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^The script's result references a record that could not be read: A\d+$/);
		expect(error?.description).toContain('Return Records As Full Records');
		expect(server.requests.map((request) => [request.method, request.status])).toEqual([
			['POST', 200],
			['GET', 404],
		]);
	});

	it('runs once per input item and pairs errors under continueOnFail', async () => {
		const before = contactCount();
		const { items } = await script(
			'execute',
			'={{ $json.script }}',
			{ fullRecords: false },
			{
				items: [
					{ json: { script: 'let c := (create Contact); c.\'First Name\' := "Batch"; c' } },
					{ json: { script: 'while true do 1 end' } },
				],
				continueOnFail: true,
			},
		);
		expect(contactCount()).toBe(before + 1);
		expect(items[0]).toEqual({ json: { result: expect.stringMatching(/^A\d+$/) }, pairedItem: { item: 0 } });
		expect(items[1].json.error).toBe("Unsupported script: 'while' (at 0) (400)");
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(server.requests.map((request) => request.method)).toEqual(['POST', 'POST']);
	});
});
