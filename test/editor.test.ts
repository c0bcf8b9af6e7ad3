/**
 * What the n8n editor shows and stores for the action node, tested through what the editor calls: the node's
 * description (defaults, notices, subtitles, links) and its methods (lists, the fields mapper), and the mapper's
 * value as the editor stores it, run through the engine. What only a browser can show (the rendered notice, the
 * picked entry's link) is checked by `npm run e2e:ui`.
 */
import type {
	IDataObject,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
	ResourceMapperValue,
} from 'n8n-workflow';

import codex from '../nodes/Ninox/Ninox.node.json';
import { Ninox } from '../nodes/Ninox/Ninox.node';
import { webAppOrigin } from '../nodes/Ninox/helpers/webApp';
import { callMethod, localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
const description = new Ninox().description;
const README = 'https://github.com/n8n-nodes-ninox-api/n8n-nodes-ninox-api#readme';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const where = (tableId: string) => ({ team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId(tableId) });
const credentials = () => localCredentials(server);

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

/** Every parameter of the description, nested ones (collection options) included. */
function allProperties(properties: INodeProperties[] = description.properties): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...(property.type === 'collection' ? allProperties(property.options as INodeProperties[]) : []),
	]);
}

function parameterOf(resource: string, operation: string, name: string): INodeProperties {
	const found = description.properties.find(
		(property) =>
			property.name === name &&
			property.displayOptions?.show?.resource?.includes(resource) &&
			property.displayOptions?.show?.operation?.includes(operation),
	);
	if (!found) throw new Error(`no ${name} in ${resource} ${operation}`);
	return found;
}

/**
 * What n8n's editor stores when the fields mapper first loads in Define Below (ResourceMapper.vue,
 * `setDefaultFieldValues`, then `pruneParamValues`): every field gets null, a yes/no field false; with
 * `addAllFields: false` every field that is not required is removed; nulls are dropped before saving.
 */
function editorFirstLoad(parameter: INodeProperties, fields: ResourceMapperField[]): ResourceMapperValue {
	const hideAll = parameter.typeOptions?.resourceMapper?.addAllFields === false;
	const schema = fields.map((field) => ({ ...field, ...(hideAll ? { removed: !field.required } : {}) }));
	const value: Record<string, boolean | null> = {};
	for (const field of schema) value[field.id] = field.type === 'boolean' ? false : null;
	for (const key of Object.keys(value)) if (value[key] === null) delete value[key];
	return { mappingMode: 'defineBelow', value, matchingColumns: [], schema, attemptToConvertTypes: false, convertFieldsToString: false };
}

/** The user adds a field in the editor (`addField`) and types its value (`fieldValueChanged`). */
function editorSetField(mapper: ResourceMapperValue, id: string, entered: string | number | boolean): ResourceMapperValue {
	return {
		...mapper,
		value: { ...mapper.value, [id]: entered },
		schema: mapper.schema.map((field) => (field.id === id ? { ...field, removed: false } : field)),
	};
}

describe('Create writes only what the user filled in', () => {
	it('leaves out the yes/no fields n8n pre-sets to false and every field the user did not add', async () => {
		const { fields } = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('A'), credentials());
		const parameter = parameterOf('record', 'create', 'columns');
		let columns = editorFirstLoad(parameter, fields);
		columns = editorSetField(columns, 'First Name', 'Touched');
		columns = editorSetField(columns, 'Status', 'Lead');
		server.clearLog();

		const { items, error } = await runNode({
			parameters: { resource: 'record', operation: 'create', ...where('A'), fieldsInput: 'mapping', columns } as INodeParameters,
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const post = server.requests.find((request) => request.method === 'POST');
		expect(post?.body).toEqual([{ fields: { 'First Name': 'Touched', Status: 'Lead' } }]);
		const stored = server.store.getRecord(DEMO.teamId, DEMO.dbId, 'A', items[0].json.id as number);
		// Ninox keeps "no" and "empty" apart: Subscribed was never entered, so it stays empty
		expect(stored?.fields).not.toHaveProperty('Subscribed');
	});

	it('still writes a yes/no field the user added and left at false', async () => {
		const { fields } = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('A'), credentials());
		const columns = editorSetField(editorFirstLoad(parameterOf('record', 'create', 'columns'), fields), 'Subscribed', false);
		server.clearLog();
		const { error } = await runNode({
			parameters: { resource: 'record', operation: 'create', ...where('A'), fieldsInput: 'mapping', columns } as INodeParameters,
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual([{ fields: { Subscribed: false } }]);
	});

	it('Update and Create or Update ignore what the editor stored for removed fields', async () => {
		const { fields } = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('A'), credentials());
		// as saved: Subscribed hidden (removed) but holding the editor's false, Notes added and filled in
		const columns = editorSetField(editorFirstLoad(parameterOf('record', 'update', 'columns'), fields), 'Notes', 'kept');
		expect(columns.value).toMatchObject({ Subscribed: false, Notes: 'kept' });
		const parameters = { resource: 'record', ...where('A'), fieldsInput: 'mapping', columns } as INodeParameters;
		server.clearLog();
		await runNode({ parameters: { ...parameters, operation: 'update', recordId: '7' }, credentials: credentials() });
		await runNode({ parameters: { ...parameters, operation: 'upsert', upsertBy: 'id', recordId: '8' }, credentials: credentials() });
		const notesId = server.store.table(DEMO.teamId, DEMO.dbId, 'A').fieldByName('Notes')!.id;
		expect(server.requests.filter((request) => request.method !== 'GET').map((request) => request.body)).toEqual([
			{ fields: { Notes: 'kept' } },
			[{ _upsert: true, _id: 8, [notesId]: 'kept' }],
		]);
	});

	it('starts every write mapper with its fields removed', () => {
		for (const operation of ['create', 'update', 'upsert']) {
			expect(parameterOf('record', operation, 'columns').typeOptions?.resourceMapper?.addAllFields).toBe(false);
		}
	});
});

describe('The fields mapper tells the truth', () => {
	it('says under Map Automatically what it writes for a table with writable fields, never that it has none', async () => {
		const columns = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('A'), credentials());
		expect(columns.fields.length).toBeGreaterThan(5);
		// n8n's editor keeps the last notice it got: each answer carries a true one, replacing any earlier failure
		expect(columns.emptyFieldsNotice).toMatch(/^Map Automatically writes each input field named like a field of table Contact \(Kind, First Name, .* and \d+ more\)/);
		expect(columns.emptyFieldsNotice).not.toMatch(/no fields/i);
	});

	it('gives no notice before a table is chosen (the editor would keep it after one is)', async () => {
		expect(await callMethod('resourceMapping', 'getColumns', { ...where('A'), table: { __rl: true, mode: 'list', value: '' } }, credentials())).toEqual({
			fields: [],
		});
	});

	it('says so for a table without fields that can be written', async () => {
		const empty = server.store.addTable(DEMO.teamId, DEMO.dbId, { name: 'Empty', fields: [] });
		expect(await callMethod('resourceMapping', 'getColumns', where(empty.id), credentials())).toEqual({
			fields: [],
			emptyFieldsNotice: 'Table Empty has no fields that can be written',
		});
	});

	it('shows why the fields cannot be loaded: the 404 and which table', async () => {
		const missing = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('ZZ'), credentials());
		expect(missing.fields).toEqual([]);
		expect(missing.emptyFieldsNotice).toMatch(/^Could not load the fields of table ZZ: .*not found.*\(404\)/);
	});

	it('shows a refused token as the cause', async () => {
		const denied = await callMethod<ResourceMapperFields>('resourceMapping', 'getColumns', where('A'), {
			...credentials(),
			token: 'not-the-token',
		});
		expect(denied.fields).toEqual([]);
		expect(denied.emptyFieldsNotice).toMatch(/^Could not load the fields of table A: .*\(401/);
		expect(denied.emptyFieldsNotice).not.toContain(server.token);
	});
});

describe('Defaults mean what they say', () => {
	it('spells every Options collection the same way', () => {
		const collections = allProperties().filter((property) => property.type === 'collection');
		expect(collections.length).toBeGreaterThan(8);
		expect(new Set(collections.map((collection) => collection.placeholder))).toEqual(new Set(['Add Option']));
	});

	it('Find says plainly that it returns the first of several matches by default', () => {
		const findMode = parameterOf('record', 'find', 'findMode');
		const byDefault = (findMode.options as INodePropertyOptions[]).find((option) => option.value === findMode.default);
		expect(byDefault).toMatchObject({ name: 'First Match' });
		expect(byDefault?.description).toMatch(/only the first record/i);
		expect(findMode.hint).toMatch(/All Matches/);
	});

	it('Find, left at its default, returns one record when several match', async () => {
		const { items } = await runNode({
			parameters: {
				resource: 'record',
				operation: 'find',
				...where('A'),
				filters: { conditions: [{ field: 'First Name', value: 'Tim' }] },
			},
			credentials: credentials(),
		});
		const tims = server.store.getRecords(DEMO.teamId, DEMO.dbId, 'A').filter((record) => record.fields['First Name'] === 'Tim');
		expect(tims.length).toBeGreaterThan(1);
		expect(items).toHaveLength(1);
	});
});

describe('Words for users', () => {
	/** The subtitle as n8n computes it for these parameters. */
	function subtitleFor(parameters: IDataObject): unknown {
		const expression = /^=\{\{(.*)\}\}$/s.exec(description.subtitle ?? '')?.[1];
		return new Function('$parameter', `return (${expression});`)(parameters);
	}

	it('shows the operation and resource on the canvas by their display names', () => {
		expect(subtitleFor({ resource: 'record', operation: 'find' })).toBe('Find: Record');
		expect(subtitleFor({ resource: 'record', operation: 'upsert' })).toBe('Create or Update: Record');
		expect(subtitleFor({ resource: 'change', operation: 'getTableChanges' })).toBe('Get Table Changes: Change');
		expect(subtitleFor({ resource: 'file', operation: 'getAll' })).toBe('Get Many: File');
	});

	it('has notices that say what to do, in one line, and no word about requests per page', () => {
		const notices = allProperties().filter((property) => property.type === 'notice');
		expect(notices.length).toBeGreaterThan(0);
		for (const notice of notices) {
			expect(notice.displayName).not.toMatch(/\n|error 500|this node/i);
			expect(notice.displayName.length).toBeLessThan(120);
		}
		const texts = allProperties().flatMap((property) => [property.hint ?? '', property.description ?? '']);
		expect(texts.filter((text) => /1000 per request|asks for 1000/.test(text))).toEqual([]);
	});

	it("opens this package's README from the Docs link", () => {
		expect(description.documentationUrl).toBe(README);
		expect(codex.resources.primaryDocumentation).toEqual([{ url: README }]);
	});

	it('lists teams, databases and tables with their ID and a link into Ninox', async () => {
		const credentialsOnPremise = credentials();
		const teams = await callMethod<INodeListSearchResult>('listSearch', 'searchTeams', {}, credentialsOnPremise);
		expect(teams.results).toContainEqual({
			name: `${DEMO.teamName} (${DEMO.teamId})`,
			value: DEMO.teamId,
			url: `${server.url}/#/teams/${DEMO.teamId}`,
		});
		const tables = await callMethod<INodeListSearchResult>('listSearch', 'searchTables', where(''), credentialsOnPremise);
		expect(tables.results).toContainEqual({
			name: 'Contact (A)',
			value: 'A',
			url: `${server.url}/#/teams/${DEMO.teamId}/database/${DEMO.dbId}/module/A`,
		});
		// found by ID as well as by name
		const byTableId = await callMethod<INodeListSearchResult>('listSearch', 'searchTables', where(''), credentialsOnPremise, 'B');
		expect(byTableId.results.map((result) => result.value)).toEqual(['B']);
	});

	it('links Public Cloud entries to app.ninox.com, other environments to their own host', () => {
		expect(webAppOrigin('https://api.ninox.com/v1')).toBe('https://app.ninox.com');
		expect(webAppOrigin('https://mycompany.ninoxdb.de/v1')).toBe('https://mycompany.ninoxdb.de');
		expect(webAppOrigin('http://127.0.0.1:8787/v1')).toBe('http://127.0.0.1:8787');
	});

	it('offers the files of the record as File Name', async () => {
		const recordId = server.store.insertRecords(DEMO.teamId, DEMO.dbId, 'A', [{ 'First Name': 'Files' }])[0];
		server.store.addFile(DEMO.teamId, DEMO.dbId, 'A', recordId, { name: 'b report.pdf', data: Buffer.from('pdf'), contentType: 'application/pdf' });
		server.store.addFile(DEMO.teamId, DEMO.dbId, 'A', recordId, { name: 'a photo.png', data: Buffer.from('png!'), contentType: 'image/png' });
		const files = await callMethod<INodePropertyOptions[]>('loadOptions', 'getRecordFiles', { ...where('A'), recordId: String(recordId) }, credentials());
		expect(files).toEqual([
			{ name: 'a photo.png', value: 'a photo.png', description: 'image/png, 4 bytes' },
			{ name: 'b report.pdf', value: 'b report.pdf', description: 'application/pdf, 3 bytes' },
		]);
		expect(parameterOf('file', 'download', 'fileName').typeOptions?.loadOptionsMethod).toBe('getRecordFiles');
		// none until a record is chosen
		expect(await callMethod('loadOptions', 'getRecordFiles', { ...where('A'), recordId: '' }, credentials())).toEqual([]);
	});
});

