/** Ninox 4 → Workspace, Module, Table, Field, and the pickers: through n8n's engine against the local server. */
import type { IDataObject, INodeExecutionData, INodeListSearchResult, INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import { Ninox4 } from '../../nodes/Ninox4/Ninox4.node';
import { callNodeMethod, localNinox4Credentials, NINOX4_NODE, runNode, shutdownEngine } from '../harness/engine';
import type { Ninox4Server } from '../server4';
import { DEMO4, startNinox4Server } from '../server4';

let server: Ninox4Server;
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

beforeAll(async () => {
	server = await startNinox4Server();
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function run(parameters: INodeParameters, options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {}) {
	return await runNode({ nodeType: NINOX4_NODE, parameters, credentials: localNinox4Credentials(server), ...options });
}

const last = () => server.log[server.log.length - 1];
const method = (kind: 'listSearch' | 'loadOptions', name: string, parameters: INodeParameters, ...args: unknown[]) =>
	callNodeMethod<INodeListSearchResult & INodePropertyOptions[]>(NINOX4_NODE, kind, name, parameters, localNinox4Credentials(server), ...args);

describe('Workspace → Get', () => {
	it('GET the workspace root: its name and modules', async () => {
		const { items } = await run({ resource: 'workspace', operation: 'get' });
		expect(items[0].json).toMatchObject({ name: DEMO4.workspaceName });
		expect((items[0].json.modules as IDataObject[]).map((m) => m.name)).toEqual(expect.arrayContaining([DEMO4.module]));
		expect(last()).toMatchObject({ method: 'GET', segments: [] });
	});
});

describe('Module', () => {
	it('create, get, get many, update (rename), delete', async () => {
		const created = await run({
			resource: 'module',
			operation: 'create',
			name: 'sales',
			label: 'Sales',
			additionalFields: { isHidden: true, openRoles: ['admin'] },
		});
		expect(created.error).toBeUndefined();
		expect(last()).toMatchObject({ method: 'POST', segments: ['modules'], body: { name: 'sales', labels: { '': 'Sales' }, isHidden: true, openRoles: ['admin'] } });
		expect(created.items[0].json).toMatchObject({ name: 'sales' });

		const got = await run({ resource: 'module', operation: 'get', module: fromList('sales') });
		expect(got.items[0].json).toMatchObject({ name: 'sales', labels: { '': 'Sales' } });

		const all = await run({ resource: 'module', operation: 'getAll', returnAll: true });
		expect(all.items.map((item) => item.json.name)).toEqual(expect.arrayContaining(['crm', 'sales']));

		const renamed = await run({ resource: 'module', operation: 'update', module: byName('sales'), updateFields: { name: 'sales_eu' } });
		expect(last()).toMatchObject({ method: 'PATCH', segments: ['modules', 'sales'], body: { name: 'sales_eu' } });
		expect(renamed.items[0].json.name).toBe('sales_eu');

		const deleted = await run({ resource: 'module', operation: 'delete', module: byName('sales_eu') });
		expect(deleted.items[0].json).toMatchObject({ deleted: true, module: 'sales_eu' });
		expect(server.store.modules.some((m) => m.name === 'sales_eu')).toBe(false);
	});

	it('bad names are refused before sending; an update with nothing to change too; an unknown module is a 404', async () => {
		const bad = await run(
			{ resource: 'module', operation: 'create', name: '={{ $json.name }}' },
			{ items: [{ json: { name: 'Sales Team' } }, { json: { name: '' } }], continueOnFail: true },
		);
		expect(bad.items[0].json.error).toBe('"Sales Team" is not a Ninox 4 module name');
		expect(bad.items[1].json.error).toBe('"" is not a Ninox 4 module name');
		expect(bad.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const nothing = await run({ resource: 'module', operation: 'update', module: byName('crm'), updateFields: {} });
		expect(nothing.error?.message).toBe('Nothing to change for the module');
		expect(server.log).toHaveLength(0);
		const missing = await run({ resource: 'module', operation: 'get', module: byName('nope') });
		expect(missing.error).toMatchObject({ httpCode: '404' });
		expect(missing.error?.description).toContain('GET /modules/nope');
	});
});

describe('Table', () => {
	it('create (label required), get, get many, update, delete', async () => {
		const noLabel = await run({ resource: 'table', operation: 'create', module: byName('crm'), name: 'notes', label: '={{ "" }}' });
		expect(noLabel.error?.message).toBe('The table needs a label');

		const created = await run({
			resource: 'table',
			operation: 'create',
			module: byName('crm'),
			name: 'notes',
			label: 'Notes',
			additionalFields: { hasHistory: true },
		});
		expect(created.error).toBeUndefined();
		expect(last()).toMatchObject({ method: 'POST', segments: ['modules', 'crm', 'tables'], body: { name: 'notes', labels: { '': 'Notes' }, hasHistory: true } });

		const got = await run({ resource: 'table', operation: 'get', module: byName('crm'), table: byName('notes') });
		expect(got.items[0].json).toMatchObject({ name: 'notes' });
		const all = await run({ resource: 'table', operation: 'getAll', module: byName('crm'), returnAll: false, limit: 2 });
		expect(all.items).toHaveLength(2);

		const updated = await run({ resource: 'table', operation: 'update', module: byName('crm'), table: byName('notes'), updateFields: { label: 'Memos' } });
		expect(updated.items[0].json).toMatchObject({ labels: { '': 'Memos' } });
		const deleted = await run({ resource: 'table', operation: 'delete', module: byName('crm'), table: byName('notes') });
		expect(deleted.items[0].json).toMatchObject({ deleted: true, table: 'notes' });
		expect(server.store.module('crm').table('notes')).toBeUndefined();
	});
});

describe('Field', () => {
	const where = { module: byName('crm'), table: byName('deals') };

	it('create a choice field, get it, rename it and change its choices keeping the option IDs', async () => {
		const created = await run({
			resource: 'field',
			operation: 'create',
			...where,
			name: 'priority',
			label: 'Priority',
			type: 'choice',
			choices: 'Low, High',
			additionalFields: { required: true },
		});
		expect(created.error).toBeUndefined();
		expect(last().body).toEqual({ name: 'priority', labels: { '': 'Priority' }, type: 'choice', options: [{ name: 'Low' }, { name: 'High' }], required: true });
		const options = created.items[0].json.options as Array<{ id: string; name: string }>;

		const got = await run({ resource: 'field', operation: 'get', ...where, field: fromList('priority') });
		expect(got.items[0].json).toMatchObject({ name: 'priority', type: 'choice' });

		server.clearLog();
		const updated = await run({
			resource: 'field',
			operation: 'update',
			...where,
			field: byName('priority'),
			updateFields: { choices: 'Low, Medium, High', name: 'prio' },
		});
		expect(updated.error).toBeUndefined();
		expect(server.log.map((entry) => entry.method)).toEqual(['GET', 'PATCH']);
		const sent = (last().body as { options: Array<{ id?: string; name: string }> }).options;
		expect(sent).toEqual([
			{ name: 'Low', id: options.find((o) => o.name === 'Low')!.id },
			{ name: 'Medium' },
			{ name: 'High', id: options.find((o) => o.name === 'High')!.id },
		]);
		expect(updated.items[0].json.name).toBe('prio');
	});

	it('create many: one POST …/fields/batch per table; a bad field fails them all (one transaction)', async () => {
		const good = await run(
			{ resource: 'field', operation: 'createMany', ...where, name: '={{ $json.name }}', label: '={{ $json.label }}', type: '={{ $json.type }}' },
			{ items: [{ json: { name: 'a1', label: 'A1', type: 'number' } }, { json: { name: 'a2', label: 'A2', type: 'boolean' } }] },
		);
		expect(good.error).toBeUndefined();
		expect(server.log.filter((e) => e.method === 'POST')).toHaveLength(1);
		expect(last().segments.slice(-2)).toEqual(['fields', 'batch']);
		expect(good.items.map((item) => [item.pairedItem, item.json.name])).toEqual([[{ item: 0 }, 'a1'], [{ item: 1 }, 'a2']]);

		const bad = await run(
			{ resource: 'field', operation: 'createMany', ...where, name: '={{ $json.name }}', label: 'X', type: 'string' },
			{ items: [{ json: { name: 'b1' } }, { json: { name: 'b1' } }], continueOnFail: true },
		);
		expect(bad.items).toHaveLength(2);
		for (const item of bad.items) expect(item.json).toMatchObject({ httpCode: '400', rolledBack: true });
		expect(server.store.table('crm', 'deals').field('b1')).toBeUndefined();
	});

	it('delete many in one transaction; delete one; get many lists the table\'s fields', async () => {
		const many = await run(
			{ resource: 'field', operation: 'deleteMany', ...where, field: '={{ { __rl: true, mode: "name", value: $json.f } }}' },
			{ items: [{ json: { f: 'a1' } }, { json: { f: 'a2' } }] },
		);
		expect(many.error).toBeUndefined();
		expect(last()).toMatchObject({ method: 'DELETE', body: { fieldNames: ['a1', 'a2'] } });
		expect(many.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ deleted: true, name: 'a1' }),
			expect.objectContaining({ deleted: true, name: 'a2' }),
		]);
		const one = await run({ resource: 'field', operation: 'delete', ...where, field: byName('prio') });
		expect(one.items[0].json).toMatchObject({ deleted: true, name: 'prio' });
		const list = await run({ resource: 'field', operation: 'getAll', ...where, returnAll: true });
		expect(list.items.map((item) => item.json.name)).toEqual(['title', 'amount', 'stage', 'contact', 'closed_on']);
	});

	it("a new expression goes where the field's type wants it: a function's expression, a dynamic choice's options", async () => {
		const contacts = { module: byName('crm'), table: byName('contacts') };
		await run({ resource: 'field', operation: 'update', ...contacts, field: byName('full_name'), updateFields: { expression: 'last_name' } });
		expect(server.log.map((entry) => entry.method)).toEqual(['GET', 'PATCH']);
		expect(last().body).toEqual({ expression: 'last_name' });
		const created = await run({
			resource: 'field',
			operation: 'create',
			...contacts,
			name: 'pick',
			label: 'Pick',
			type: 'dchoice',
			expression: 'select companies',
		});
		expect(created.error).toBeUndefined();
		expect(last().body).toMatchObject({ type: 'dchoice', options: 'select companies' });
		server.clearLog();
		await run({ resource: 'field', operation: 'update', ...contacts, field: byName('pick'), updateFields: { expression: 'select deals' } });
		expect(last()).toMatchObject({ method: 'PATCH', body: { options: 'select deals' } });
	});

	it('a name with capitals or spaces is refused, naming the item', async () => {
		const { items } = await run(
			{ resource: 'field', operation: 'create', ...where, name: 'First Name', label: 'First', type: 'string' },
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toBe('"First Name" is not a Ninox 4 field name');
		expect(server.log).toHaveLength(0);
	});
});

describe('the node in the editor', () => {
	it('names every operation on the canvas as the editor shows it; every Get Many has Return All and Limit', () => {
		const { description } = new Ninox4();
		const names = JSON.parse(/^=\{\{ (\{.*\})\[/.exec(String(description.subtitle))![1]) as Record<string, string>;
		expect(Object.keys(names)).toHaveLength(32);
		expect(names['record:getAll']).toBe('Get Many: Record');
		expect(names['field:createMany']).toBe('Create Many: Field');
		expect(description.usableAsTool).toBe(true);
		for (const key of Object.keys(names).filter((key) => key.endsWith(':getAll'))) {
			const [resource] = key.split(':');
			const shown = description.properties.filter((p) => p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions.show.operation?.includes('getAll'));
			expect(shown.map((p) => p.name)).toEqual(expect.arrayContaining(['returnAll', 'limit']));
		}
	});
});

describe('pickers', () => {
	it('list modules, tables and fields with search; field dropdowns for filters and matching', async () => {
		const modules = await method('listSearch', 'searchModules', {});
		expect(modules.results).toEqual(expect.arrayContaining([{ name: 'CRM (crm)', value: 'crm' }]));
		const tables = await method('listSearch', 'searchTables', { module: fromList('crm') }, 'cont');
		expect(tables.results).toEqual([{ name: 'Contacts (contacts)', value: 'contacts' }]);
		const fields = await method('listSearch', 'searchFields', { module: fromList('crm'), table: fromList('contacts') }, 'mail');
		expect(fields.results).toEqual([{ name: 'Email (email)', value: 'email' }]);
		const matchable = await method('loadOptions', 'getMatchableFields', { module: fromList('crm'), table: fromList('contacts') });
		expect(matchable.map((o) => o.value)).not.toContain('full_name');
		expect(matchable.map((o) => o.value)).not.toContain('tags');
		const unique = await method('loadOptions', 'getUniqueFields', { module: fromList('crm'), table: fromList('contacts') });
		expect(unique.map((o) => o.value)).toContain('email');
		expect(await method('listSearch', 'searchTables', {})).toEqual({ results: [] });
	});

	it('a locator by URL takes the module and table from the go.ninox.com path', async () => {
		const url = `https://go.ninox.com/org1/${DEMO4.workspaceId}/crm/contacts/view/1`;
		const { items, error } = await run({
			resource: 'table',
			operation: 'get',
			module: { __rl: true, mode: 'url', value: url },
			table: { __rl: true, mode: 'url', value: url },
		});
		expect(error).toBeUndefined();
		expect(items[0].json.name).toBe('contacts');
	});

	it("a URL of another workspace stops the node before any request", async () => {
		const url = 'https://go.ninox.com/org1/otherspace12/crm/contacts';
		const { error } = await run({
			resource: 'record',
			operation: 'getAll',
			module: byName('crm'),
			table: { __rl: true, mode: 'url', value: url },
			returnAll: true,
		});
		expect(error?.message).toBe(`The table URL is of workspace otherspace12, the credential of workspace ${DEMO4.workspaceId}`);
		expect(server.log).toHaveLength(0);
	});
});
