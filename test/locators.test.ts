/**
 * Team / database / table locators: a pasted URL is used whole or refused. Its team and database must be the ones
 * the other locators select, in the action node, the trigger and the editor's lists; a half-typed URL is a clear
 * error. Either way nothing is sent.
 */
import type { INodeListSearchResult, INodeParameters, ResourceMapperFields } from 'n8n-workflow';

import { Ninox } from '../nodes/Ninox/Ninox.node';
import { callMethod, localCredentials, runNode, shutdownEngine, TriggerWorkflow } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
const OTHER_DB = 'otherdb00001';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: value });
const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });
const app = 'https://app.ninox.com/#/teams';
const tableUrl = (team: string, database: string, table: string) => `${app}/${team}/database/${database}/module/${table}/view/abc`;

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
	// a second database of the same team, whose table A is not the Contact table
	server.store.addDatabase(DEMO.teamId, { id: OTHER_DB, name: 'Other' });
	server.store.addTable(DEMO.teamId, OTHER_DB, { name: 'Elsewhere', fields: [{ name: 'Title', type: 'string' }] });
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function getMany(where: INodeParameters, continueOnFail = false) {
	return await runNode({
		parameters: { resource: 'record', operation: 'getAll', limit: 1, ...where },
		credentials: localCredentials(server),
		continueOnFail,
	});
}

describe('A URL is used whole or refused', () => {
	it('reads the table of a URL whose team and database are the ones chosen', async () => {
		const { items, error } = await getMany({
			team: fromList(DEMO.teamId),
			database: fromList(DEMO.dbId),
			table: byUrl(tableUrl(DEMO.teamId, DEMO.dbId, 'B')),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ Name: expect.any(String), City: expect.any(String) });
		expect(server.requests[0].segments).toEqual(['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', 'B', 'records']);
	});

	it('refuses a table URL of another database before any request, naming both databases', async () => {
		const { items, error } = await getMany({
			team: fromList(DEMO.teamId),
			database: fromList(DEMO.dbId),
			table: byUrl(tableUrl(DEMO.teamId, OTHER_DB, 'A')),
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(`The Table URL names database ${OTHER_DB}, but the Database field is ${DEMO.dbId}`);
		expect(error?.description).toContain(`Set Database to ${OTHER_DB}`);
		expect(server.requests).toEqual([]);
	});

	it('refuses a URL of another team, also for writes, and pairs the error under continueOnFail', async () => {
		const before = server.store.table(DEMO.teamId, DEMO.dbId, 'A').records.size;
		const { items, error } = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				team: byId(DEMO.teamId),
				database: byUrl(`${app}/${DEMO.team2Id}/database/${DEMO.dbId}`),
				table: byId('A'),
				fieldsInput: 'json',
				fieldsJson: '{"First Name": "Nobody"}',
			},
			credentials: localCredentials(server),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: `The Database URL names team ${DEMO.team2Id}, but the Team field is ${DEMO.teamId}`,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(server.requests).toEqual([]);
		expect(server.store.table(DEMO.teamId, DEMO.dbId, 'A').records.size).toBe(before);
	});

	it('refuses two URLs that disagree with each other', async () => {
		const { error } = await getMany({
			team: byUrl(`${app}/${DEMO.teamId}`),
			database: byUrl(`${app}/${DEMO.teamId}/database/${DEMO.dbId}`),
			table: byUrl(tableUrl(DEMO.teamId, OTHER_DB, 'A')),
		});
		expect(error?.message).toBe(`The Table URL names database ${OTHER_DB}, but the Database field is ${DEMO.dbId}`);
		expect(server.requests).toEqual([]);
	});

	it('names a half-typed URL clearly', async () => {
		// Typed in, n8n's own check of the field stops it ("Not a Ninox table URL"); from an expression it gets here.
		const { error } = await getMany({
			team: fromList(DEMO.teamId),
			database: fromList(DEMO.dbId),
			table: byUrl(`={{ "${app}/${DEMO.teamId}/database/${DEMO.dbId}/mod" }}`),
		});
		expect(error?.message).toBe(
			`The Table URL is not the address of a Ninox table: "${app}/${DEMO.teamId}/database/${DEMO.dbId}/mod"`,
		);
		expect(error?.description).toContain('Paste the whole address of the table');
		expect(server.requests).toEqual([]);
	});

	it('says the rule where a URL is pasted', () => {
		const locators = new Ninox().description.properties.filter((property) => property.type === 'resourceLocator');
		expect(new Set(locators.map((locator) => locator.name))).toEqual(new Set(['team', 'database', 'table']));
		for (const locator of locators) {
			expect(locator.modes?.find((mode) => mode.name === 'url')?.hint).toMatch(/the team and database it names must be the ones chosen/);
		}
	});
});

describe('The trigger follows the same rule', () => {
	const trigger = (table: INodeParameters[string]) =>
		new TriggerWorkflow(
			{
				team: fromList(DEMO.teamId),
				database: fromList(DEMO.dbId),
				scope: 'table',
				table,
				events: ['created', 'updated', 'deleted'],
			},
			localCredentials(server),
		);

	it('refuses a table URL of another database before any request', async () => {
		await expect(trigger(byUrl(tableUrl(DEMO.teamId, OTHER_DB, 'A'))).poll()).rejects.toThrow(
			`The Table URL names database ${OTHER_DB}, but the Database field is ${DEMO.dbId}`,
		);
		expect(server.requests).toEqual([]);
	});

	it('follows the table of a matching URL', async () => {
		await expect(trigger(byUrl(tableUrl(DEMO.teamId, DEMO.dbId, 'A'))).poll()).resolves.toBeNull();
		expect(server.requests[0].segments).toEqual(['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', 'A', 'changes']);
	});
});

describe('In the editor', () => {
	const credentials = () => localCredentials(server);

	it('lists tables only for a database URL of the chosen team, and says why otherwise', async () => {
		const tables = await callMethod<INodeListSearchResult>(
			'listSearch',
			'searchTables',
			{ team: fromList(DEMO.teamId), database: byUrl(`${app}/${DEMO.teamId}/database/${OTHER_DB}`) },
			credentials(),
		);
		expect(tables.results.map((result) => result.value)).toEqual(['A']);
		await expect(
			callMethod('listSearch', 'searchTables', { team: fromList(DEMO.teamId), database: byUrl(`${app}/${DEMO.team2Id}/database/${DEMO.db2Id}`) }, credentials()),
		).rejects.toThrow(`The Database URL names team ${DEMO.team2Id}, but the Team field is ${DEMO.teamId}`);
	});

	it('shows the cause in the mapper for a half-typed URL and a URL of another database, with no request', async () => {
		const half = await callMethod<ResourceMapperFields>(
			'resourceMapping',
			'getColumns',
			{ team: fromList(DEMO.teamId), database: fromList(DEMO.dbId), table: byUrl(`${app}/${DEMO.teamId}/data`) },
			credentials(),
		);
		expect(half).toEqual({
			fields: [],
			emptyFieldsNotice: expect.stringMatching(/^Could not load the fields: The Table URL is not the address of a Ninox table/),
		});
		const other = await callMethod<ResourceMapperFields>(
			'resourceMapping',
			'getColumns',
			{ team: fromList(DEMO.teamId), database: fromList(DEMO.dbId), table: byUrl(tableUrl(DEMO.teamId, OTHER_DB, 'A')) },
			credentials(),
		);
		expect(other.emptyFieldsNotice).toContain(`The Table URL names database ${OTHER_DB}, but the Database field is ${DEMO.dbId}`);
		expect(server.requests).toEqual([]);
	});
});
