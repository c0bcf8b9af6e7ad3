/**
 * The same node: a table by URL (of another database, of the chosen one, half typed) and a table that does not
 * exist, in the mapper and in the error panel.
 */
import { DEMO } from '../../../server';
import { OTHER } from '../stack';
import type { Walk } from '../walk';

const { teamId, dbId, dbName, contactTableId } = DEMO;

export async function tableLocators(walk: Walk): Promise<void> {
	const { page, ui, report, stack, contacts, serverErrors } = walk;
	const { store } = stack.server;
	const locate = {
		hint: '1 Table "By URL": the field says the URL must name the chosen team and database',
		otherDatabase: '1 a table URL of another database is refused before any request, naming both databases',
		halfTyped: '3 a half-typed table URL: no HTTP 500 from the editor\'s requests',
		sameDatabase: 'Table "By URL" of Company in the chosen database: the mapper offers Company\'s fields',
		mapperError: '3 missing table ZZ: the mapper shows the cause (not found, table ZZ), not "No fields found in Ninox"',
		errorPanel: '8 missing table ZZ: Execute step\'s error names table ZZ',
	};
	await report.scene('the same node: a table by URL and a missing table', page, Object.values(locate), async (s) => {
		s.step('open Create records again');
		await ui.ensureNodeOpen('Create records');
		await ui.locatorMode('table', 'By URL');
		s.step('type a URL half');
		const errorsBefore = serverErrors.length;
		const url = `https://app.ninox.com/#/teams/${OTHER.teamId}/database/${OTHER.dbId}/module/${OTHER.tableId}/view/all`;
		await ui.typeInLocator('table', url.slice(0, url.indexOf('/database/') + 4));
		await ui.mapperLoaded();
		await s.verify(locate.halfTyped, async () => {
			const errors = serverErrors.slice(errorsBefore);
			if (errors.length) throw new Error(errors.join('\n'));
		});
		s.step('the whole URL of a table in another database');
		await ui.typeInLocator('table', url);
		await s.verify(locate.hint, async () => {
			const text = (await ui.parameterItem('table').innerText()).replace(/\s+/g, ' ');
			if (!/URL/.test(text) || !/database/i.test(text)) throw new Error(`the Table field says only: ${text}`);
			return text.replace(/^Table Fixed Expression /, '');
		});
		const requestsBefore = stack.server.requests.length;
		const storedBefore = contacts().length;
		const archivedBefore = store.getRecords(OTHER.teamId, OTHER.dbId, OTHER.tableId).length;
		const run = await ui.execute();
		await s.verify(locate.otherDatabase, async () => {
			const writes = stack.server.requests.slice(requestsBefore).filter((request) => request.method !== 'GET');
			const text = `${run.error ?? ''} ${run.description ?? ''}`;
			if (contacts().length !== storedBefore) throw new Error(`it wrote into ${dbName}'s table ${contactTableId}: ${text}`);
			if (!run.error) {
				const archived = store.getRecords(OTHER.teamId, OTHER.dbId, OTHER.tableId).length;
				throw new Error(`no error; ${archived - archivedBefore} records created in ${OTHER.dbName} by ${writes.length} writes`);
			}
			if (writes.length) throw new Error(`${writes.length} write requests were sent: ${text}`);
			const names = (id: string, name: string) => text.includes(id) || text.includes(name);
			if (!names(OTHER.dbId, OTHER.dbName) || !names(dbId, dbName)) throw new Error(`the error does not name both databases: ${text}`);
			return run.error;
		});

		s.step('the URL of table Company in the chosen database');
		await ui.typeInLocator('table', `https://app.ninox.com/#/teams/${teamId}/database/${dbId}/module/${DEMO.companyTableId}`);
		await ui.mapperLoaded();
		await s.verify(locate.sameDatabase, async () => {
			const offered = (await ui.addMapperField('City')).map((label) => label.replace(/ \(.*$/, ''));
			await ui.removeMapperField('City');
			const missing = ['Name', 'City', 'Industry', 'Founded', 'Revenue'].filter((name) => !offered.includes(name));
			if (missing.length || offered.includes('First Name')) throw new Error(`the mapper offers ${offered.join(', ')}`);
			return offered.join(', ');
		});

		s.step('a table ID that does not exist');
		await ui.locatorMode('table', 'By ID');
		await ui.typeInLocator('table', 'ZZ');
		await ui.mapperLoaded();
		await s.verify(locate.mapperError, async () => {
			const cause = ui.mapper.getByText(/ZZ/);
			await cause.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
			const text = (await ui.mapper.innerText()).replace(/\s+/g, ' ');
			if (/No fields found in Ninox/.test(text) || !/ZZ/.test(text) || !/not found|404/i.test(text)) {
				throw new Error(`the mapper says: ${text}`);
			}
			return text;
		});
		const missing = await ui.execute();
		await s.verify(locate.errorPanel, async () => {
			if (!missing.error) throw new Error('no error shown');
			if (!/\bZZ\b/.test(missing.error)) throw new Error(`the error says "${missing.error}" (${missing.description})`);
			return missing.error;
		});
		await ui.closeNode();
	});
}
