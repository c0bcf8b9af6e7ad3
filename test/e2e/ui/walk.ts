/**
 * The walk: what a new user does in the n8n editor with the Ninox nodes, and what the page must show them.
 * The numbers in the check names are the points of the issue "In the n8n editor: no silent wrong writes,
 * honest defaults, clear mapper errors" that the check holds the editor to.
 */
import type { BrowserContext } from 'playwright-core';

import { DEMO } from '../../server';
import { until } from '../n8n';
import { Editor } from './editor';
import type { Report } from './report';
import { NEWEST_CONTACTS, OTHER, OWNER } from './stack';
import type { Stack } from './stack';

const { teamId, teamName, dbId, dbName, contactTableId } = DEMO;
const OPERATIONS = 'uiWalkOperation1';
const TRIGGER = 'uiWalkTrigger001';
const NEW_CONTACT = { 'First Name': 'Uma Walk', Status: 'Lead', Birthday: '1990-04-01' };
/** Fields Ninox computes: the store shows them in every record. */
const COMPUTED = ['Full Name'];

export async function walk(stack: Stack, context: BrowserContext, report: Report): Promise<void> {
	const page = await context.newPage();
	const ui = new Editor(page, stack.running.baseUrl);
	const { store } = stack.server;
	// Leaving a workflow with unsaved changes asks through the browser.
	page.on('dialog', (dialog) => void dialog.accept());
	const serverErrors: string[] = [];
	page.on('response', (response) => {
		if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
	});
	if (process.env.UI_WALK_DEBUG) {
		const t0 = Date.now();
		page.on('framenavigated', (frame) => {
			if (frame === page.mainFrame()) console.log(`   [${((Date.now() - t0) / 1000).toFixed(1)} s] → ${frame.url()}`);
		});
		page.on('request', (request) => {
			if (/\/rest\/workflows/.test(request.url())) console.log(`   [${((Date.now() - t0) / 1000).toFixed(1)} s] ${request.method()} ${request.url()}`);
		});
	}
	/** "Add Option" buttons as each opened panel spells them. */
	const addOptionLabels = new Map<string, string[]>();
	const noteAddOptionLabels = async (node: string) => addOptionLabels.set(node, await ui.addOptionLabels());
	const contacts = () => store.getRecords(teamId, dbId, contactTableId);

	await report.scene('log in', page, ['owner setup on a fresh n8n opens the editor home'], async (s) => {
		s.step('open n8n');
		await page.goto(ui.baseUrl);
		await page.waitForURL(/\/setup/);
		s.step('fill in the owner form');
		for (const [name, value] of Object.entries(OWNER)) await page.locator(`input[name="${name}"]`).fill(value);
		await ui.testId('form-submit-button').click();
		await s.verify('owner setup on a fresh n8n opens the editor home', async () => {
			await ui.testId('add-resource-workflow').waitFor();
			return `${new URL(page.url()).pathname}, "${(await ui.testId('project-name').innerText()).trim()}"`;
		});
	});

	const create = {
		panel: 'nodes panel: "Ninox" offers the trigger events and the actions, Create records among them',
		credential: 'the only Ninox credential is preselected',
		lists: '8 team, database and table lists show names with their IDs',
		autoNotice: '3 Map Automatically does not say "This table has no fields" for Contact',
		fields: 'mapper: Contact\'s writable fields with their types (Status offers Active, Inactive, Lead)',
		multi: '4 mapper: Tags (multiple choice) offers its choices; no JSON editor, no "Unexpected end of JSON input"',
		reference: '4 mapper: Company (reference) says it takes a record ID of table Company',
		notices: '8 no notice about how the node works inside ("bare error 500", "1000 per request")',
		docs: '8 the Docs link opens this package\'s README',
		writes: '2 create: Execute step stores only the fields the user filled in',
		date: '4 create: the date-only Birthday is stored as 1990-04-01, without a time',
		columns: '8 create: the output Table view has a column per Ninox field, id and sequence kept',
		subtitle: '8 canvas subtitle "Create: Record"',
	};
	await report.scene('a new workflow: the Ninox node from the nodes panel', page, Object.values(create), async (s) => {
		s.step('create a workflow');
		await page.goto(`${ui.baseUrl}/home/workflows`);
		await ui.testId('add-resource-workflow').click();
		await ui.testId('canvas-add-button').click();
		s.step('search the nodes panel');
		await ui.testId('node-creator-search-bar').fill('Ninox');
		await ui.creatorItem('Ninox').click();
		await ui.testId('node-creator-category-item').filter({ hasText: /^Actions/ }).click();
		await ui.creatorItem('Create records').waitFor();
		await s.verify(create.panel, async () => {
			const items = await ui.testId('node-creator-item-name').allInnerTexts();
			const expected = ['On created', 'On updated', 'On deleted', 'Create records', 'Find records by field values', 'Query with a read-only script'];
			const missing = expected.filter((name) => !items.includes(name));
			if (missing.length) throw new Error(`missing ${missing.join(', ')} in: ${items.join(', ')}`);
			return `${items.length} entries`;
		});
		await ui.creatorItem('Create records').click();
		await ui.ndv.waitFor();
		await s.verify(create.credential, async () => {
			const value = await ui.testId('node-credentials-select').locator('input').first().inputValue();
			if (value !== 'Ninox (local walk server)') throw new Error(`the credential field shows "${value}"`);
			return value;
		});

		s.step('pick team, database and table from the lists');
		const teams = await ui.locatorEntries('team');
		await ui.pickEntry(teamName);
		const databases = await ui.locatorEntries('database');
		await ui.pickEntry(dbName);
		const tables = await ui.locatorEntries('table');
		await ui.pickEntry('Contact');
		await s.verify(create.lists, async () => {
			const want = [
				[teams, teamName, teamId],
				[databases, dbName, dbId],
				[tables, 'Contact', contactTableId],
			] as const;
			for (const [entries, name, id] of want) {
				if (!entries.some((entry) => entry.includes(name) && new RegExp(`\\b${id}\\b`).test(entry.replace(name, '')))) {
					throw new Error(`no entry shows "${name}" with its ID ${id}: ${entries.join(' | ')}`);
				}
			}
			return [teams, databases, tables].map((entries) => entries.join(', ')).join(' / ');
		});

		s.step('the field mapper loads Contact');
		await ui.ensureNodeOpen('Create records');
		await ui.testId('add-fields-select').waitFor({ timeout: 30_000 });
		await s.verify(create.notices, async () => {
			const text = await ui.parameters.innerText();
			const found = [/bare error 500/i, /1\s?000 per request/i, /asks for 1\s?000/i].filter((pattern) => pattern.test(text));
			if (found.length) throw new Error(`the panel says ${found.join(', ')}`);
		});
		await s.verify(create.docs, async () => {
			const href = (await ui.ndv.getByRole('link', { name: /Docs/ }).first().getAttribute('href')) ?? '';
			if (!/n8n-nodes-ninox-api.*(#readme|README)/i.test(href)) throw new Error(`Docs links to ${href || 'nothing'}`);
			return href;
		});
		await s.verify(create.fields, async () => {
			const offered = await ui.addMapperField('Status');
			const names = offered.map((label) => label.replace(/ \(.*$/, ''));
			const missing = ['First Name', 'Last Name', 'Birthday', 'Status', 'Tags', 'Subscribed', 'Company'].filter(
				(name) => !names.includes(name),
			);
			if (missing.length) throw new Error(`"Add field to send" lacks ${missing.join(', ')}: ${offered.join(', ')}`);
			if (names.includes('Full Name')) {
				await ui.addMapperField('Full Name');
				const input = ui.testId('parameter-input-Full Name').locator('input, textarea').first();
				if (!(await input.isDisabled())) throw new Error('the formula field Full Name can be written');
				await ui.removeMapperField('Full Name');
			}
			const status = await ui.optionsOf(ui.testId('parameter-input-Status'));
			if (status.join() !== 'Active,Inactive,Lead') throw new Error(`Status offers ${status.join(', ')}`);
			return `${offered.length} fields to add (Full Name read-only); Status: ${status.join(', ')}`;
		});
		await ui.mappingMode('Map Automatically');
		await s.verify(create.autoNotice, async () => {
			const text = (await ui.mapper.innerText()).replace(/\s+/g, ' ');
			if (/This table has no fields/.test(text)) throw new Error('the mapper says "This table has no fields"');
			if (/Choose a team/.test(text)) throw new Error(`the mapper did not load Contact: ${text}`);
			return text.slice(0, 140);
		});
		await ui.mappingMode('Map Each Column Manually');
		await ui.testId('add-fields-select').waitFor();
		await s.verify(create.multi, async () => {
			await ui.addMapperField('Tags');
			const tags = ui.testId('parameter-input-Tags');
			await tags.scrollIntoViewIfNeeded();
			const text = await ui.mapperField('Tags').innerText();
			if (/Unexpected end of JSON/i.test(text)) throw new Error('Tags shows "Unexpected end of JSON input"');
			if (await tags.locator('.cm-editor').count()) throw new Error('Tags is a JSON editor');
			// The choices are offered in a dropdown, or named beside the field.
			const isDropdown = (await tags.locator('.el-select, [role="combobox"]').count()) > 0;
			const shown = isDropdown ? await ui.optionsOf(tags) : [text];
			const missing = ['VIP', 'Newsletter', 'Partner', 'Supplier'].filter((choice) => !shown.some((entry) => entry.includes(choice)));
			if (missing.length) throw new Error(`Tags does not show ${missing.join(', ')} (shows: ${shown.join(', ')})`);
			return shown.join(', ').replace(/\s+/g, ' ').replace(/ Fixed Expression/, '');
		});
		await s.verify(create.reference, async () => {
			await ui.addMapperField('Company');
			const field = ui.mapperField('Company');
			const placeholder = (await field.locator('input').first().getAttribute('placeholder')) ?? '';
			const text = `${await field.innerText()} ${placeholder}`.replace(/^\s*Company\b/, '');
			if (!/record ID/i.test(text) || !/Company/.test(text)) throw new Error(`Company shows only: ${text.replace(/\s+/g, ' ').trim()}`);
			return text.replace(/\s+/g, ' ').replace(/ Fixed Expression/, '').trim();
		});

		s.step('fill in First Name, Status and Birthday; remove the fields only looked at');
		await ui.ensureNodeOpen('Create records');
		await noteAddOptionLabels('Create records');
		for (const field of ['Tags', 'Company']) {
			if (await ui.mapperField(field).count()) await ui.removeMapperField(field);
		}
		for (const field of ['First Name', 'Status', 'Birthday']) {
			if (!(await ui.mapperField(field).count())) await ui.addMapperField(field);
		}
		await ui.testId('parameter-input-First Name').locator('input').fill(NEW_CONTACT['First Name']);
		await ui.selectOption('Status', NEW_CONTACT.Status);
		const birthday = ui.testId('parameter-input-Birthday').locator('input').first();
		await birthday.fill(NEW_CONTACT.Birthday);
		await birthday.press('Enter');
		await s.shot('filled in');

		s.step('Execute step');
		const before = contacts().length;
		const run = await ui.execute();
		const created = contacts().slice(before);
		await s.verify(create.writes, async () => {
			if (run.error) throw new Error(`the node failed: ${run.error} — ${run.description ?? ''}`);
			if (created.length !== 1) throw new Error(`${created.length} records were created`);
			const sent = Object.keys(created[0].fields).filter((name) => !COMPUTED.includes(name));
			const extra = sent.filter((name) => !(name in NEW_CONTACT));
			if (extra.length) throw new Error(`also stored ${extra.map((name) => `${name}: ${JSON.stringify(created[0].fields[name])}`).join(', ')}`);
			return `record ${created[0].id}: ${sent.join(', ')}`;
		});
		await s.verify(create.date, async () => {
			if (created.length !== 1) throw new Error('no record was created');
			const stored = created[0].fields.Birthday;
			if (stored !== NEW_CONTACT.Birthday) throw new Error(`Birthday is stored as ${JSON.stringify(stored)}`);
			return String(stored);
		});
		await s.verify(create.columns, async () => {
			if (run.error) throw new Error(`no output: ${run.error}`);
			const { headers, rows } = await ui.outputTable();
			const missing = ['id', 'First Name', 'Status'].filter((name) => !headers.includes(name));
			if (missing.length || headers.includes('fields')) {
				throw new Error(`columns are ${headers.join(', ')}`);
			}
			if (!headers.some((name) => /sequence/i.test(name))) throw new Error(`no sequence column in ${headers.join(', ')}`);
			return `${headers.join(', ')} — ${rows[0]?.slice(0, 4).join(', ')}`;
		});
		await ui.closeNode();
		await s.verify(create.subtitle, async () => {
			const text = await ui.canvasNodeText('Create records');
			if (!text.includes('Create: Record')) throw new Error(`the canvas shows "${text}"`);
			return text;
		});
	});

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

	const operations = {
		subtitles: '8 canvas subtitles use the display names ("Find: Record", "Query: Script" …)',
		upsert: '8 create or update: each item says whether its record was created or updated',
		findAll: '6 find: returns all matches when its options are left alone (or says it returns the first)',
		findColumns: '8 find: the output Table view has a column per Ninox field',
		download: 'file download: the Binary view shows ninox_logo.png, image/png',
		fileList: '8 file download: File Name can be picked from the record\'s files',
		script: '6 script query: Split Into Items and Full Records act when left alone (one item per record, fields by name)',
	};
	await report.scene('operations: Execute step on an imported workflow', page, Object.values(operations), async (s) => {
		s.step('open the workflow');
		await ui.closeNodeIfOpen();
		await ui.openWorkflow(OPERATIONS);
		await s.verify(operations.subtitles, async () => {
			const want: Record<string, string> = {
				'Create or Update Contacts': 'Create or Update: Record',
				'Find Leads': 'Find: Record',
				'Download Photo': 'Download: File',
				'Query Leads': 'Query: Script',
			};
			const shown = await Promise.all(Object.keys(want).map((name) => ui.canvasNodeText(name)));
			const wrong = Object.values(want).filter((subtitle, index) => !shown[index].includes(subtitle));
			if (wrong.length) throw new Error(`the canvas shows: ${shown.join(' | ')}`);
			return shown.join(' | ');
		});

		s.step('Create or Update Contacts');
		await ui.openNode('Create or Update Contacts');
		await noteAddOptionLabels('Create or Update Contacts');
		const upsert = await ui.execute();
		await s.verify(operations.upsert, async () => {
			if (upsert.error) throw new Error(`${upsert.error} — ${upsert.description ?? ''}`);
			const { headers, rows } = await ui.outputTable();
			const said = rows.map((row) => row.find((cell) => /^(created|updated)$/i.test(cell)) ?? '?');
			if (said.join() !== 'updated,created') throw new Error(`the items say ${said.join(', ')}; columns ${headers.join(', ')}`);
			return `${NEWEST_CONTACTS[0].Email}: updated; a new address: created`;
		});
		await ui.closeNode();

		s.step('Find Leads');
		await ui.openNode('Find Leads');
		await noteAddOptionLabels('Find Leads');
		const find = await ui.execute();
		const leads = contacts().filter((record) => record.fields.Status === 'Lead').length;
		await s.verify(operations.findAll, async () => {
			if (find.error) throw new Error(`${find.error} — ${find.description ?? ''}`);
			const count = await ui.itemCount();
			if (count === leads) return `${count} items, all the Leads`;
			// The Find field itself (its value, hint or notice) must say so.
			const says = (await ui.parameterItem('findMode').innerText()).replace(/\s+/g, ' ');
			if (count === 1 && /\bfirst\b/i.test(says)) return `1 item; the Find field says: ${says}`;
			throw new Error(`${count} item(s) of ${leads} Leads, and the panel does not say it returns only the first`);
		});
		await s.verify(operations.findColumns, async () => {
			if (find.error) throw new Error(find.error);
			const { headers } = await ui.outputTable();
			if (!headers.includes('First Name') || headers.includes('fields')) throw new Error(`columns are ${headers.join(', ')}`);
			return headers.join(', ');
		});
		await ui.closeNode();

		s.step('Download Photo');
		await ui.openNode('Download Photo');
		await noteAddOptionLabels('Download Photo');
		await s.verify(operations.fileList, async () => {
			const input = ui.testId('parameter-input-fileName');
			await input.click();
			const offered = page.getByRole('option').filter({ hasText: DEMO.imageFileName });
			const entry = ui.testId('rlc-item').filter({ hasText: DEMO.imageFileName });
			await offered.or(entry).first().waitFor({ timeout: 8_000 }).catch(() => undefined);
			const found = (await offered.count()) + (await entry.count());
			await page.keyboard.press('Escape');
			if (!found) throw new Error(`File Name offers no list with ${DEMO.imageFileName}`);
		});
		const download = await ui.execute();
		await s.verify(operations.download, async () => {
			if (download.error) throw new Error(`${download.error} — ${download.description ?? ''}`);
			const text = await ui.output.innerText();
			if (!text.includes(DEMO.imageFileName) || !text.includes('image/png')) throw new Error(`the output shows: ${text.slice(0, 300)}`);
			return 'ninox_logo.png, image/png';
		});
		await ui.closeNode();

		s.step('Query Leads');
		await ui.openNode('Query Leads');
		await noteAddOptionLabels('Query Leads');
		const query = await ui.execute();
		await s.verify(operations.script, async () => {
			if (query.error) throw new Error(`${query.error} — ${query.description ?? ''}`);
			const count = await ui.itemCount();
			const { headers } = await ui.outputTable();
			const fieldsByName = headers.includes('First Name') || headers.includes('fields');
			if (count !== leads || !fieldsByName) throw new Error(`${count} item(s) (${leads} Leads); columns ${headers.join(', ')}`);
			return `${count} items; columns ${headers.slice(0, 6).join(', ')}…`;
		});
		await ui.closeNode();
	});

	const trigger = {
		events: '5 Fetch Test Event with Events = Updated shows updated records only',
		sequences: '5 Fetch Test Event: each sample item carries its own sequence',
		addOption: '8 one spelling of "Add Option" in every panel opened',
	};
	await report.scene('the Ninox Trigger: Fetch Test Event', page, Object.values(trigger), async (s) => {
		s.step('open the trigger');
		await ui.openWorkflow(TRIGGER);
		await ui.openNode('Ninox Trigger');
		await noteAddOptionLabels('Ninox Trigger');
		const events = (await ui.testId('parameter-input-events').innerText()).trim();
		if (events !== 'Updated') throw new Error(`Events shows "${events}", expected Updated`);
		s.step('Fetch Test Event');
		const fetched = await ui.execute();
		if (fetched.error) throw new Error(`${fetched.error} — ${fetched.description ?? ''}`);
		await s.verify(trigger.addOption, async () => {
			const spellings = new Set([...addOptionLabels.values()].flat());
			const shown = [...addOptionLabels].map(([node, labels]) => `${node}: ${labels.join(', ') || '—'}`).join('; ');
			if (spellings.size !== 1) throw new Error(`${spellings.size} spellings: ${shown}`);
			return shown;
		});
		const { headers, rows } = await ui.outputTable();
		const column = (name: string) => rows.map((row) => row[headers.indexOf(name)]);
		await s.verify(trigger.events, async () => {
			const shown = column('event');
			if (!shown.length || shown.some((event) => event !== 'updated')) throw new Error(`events shown: ${shown.join(', ')}`);
			return `${shown.length} items, all updated`;
		});
		await s.verify(trigger.sequences, async () => {
			const sequences = column('sequence');
			if (new Set(sequences).size !== sequences.length) throw new Error(`sequences shown: ${sequences.join(', ')}`);
			return sequences.join(', ');
		});
	});

	const credential = {
		notNinox: '7 credential test against a server that is not Ninox (n8n itself) fails, saying so',
		noScheme: '7 a server address without https:// gets a hint, not a bare "Invalid URL"',
	};
	await report.scene('a new Ninox credential: the connection test', page, Object.values(credential), async (s) => {
		s.step('open "Add new credential"');
		await ui.closeNodeIfOpen();
		await page.goto(`${ui.baseUrl}/home/credentials/create`);
		await ui.testId('new-credential-type-select').waitFor();
		await page.keyboard.type('Ninox Token');
		await page.getByRole('option', { name: 'Ninox Token API', exact: true }).click();
		await ui.testId('new-credential-type-button').click();
		const modal = ui.testId('editCredential-modal');
		await modal.waitFor();
		s.step('On-Premise, pointing at n8n itself');
		await modal.getByTestId('parameter-input-environment').click();
		await page.getByRole('option').filter({ hasText: /^On-Premise/ }).click();
		await modal.getByTestId('parameter-input-baseUrl').locator('input').fill(ui.baseUrl);
		await modal.getByTestId('parameter-input-token').locator('input').fill('not-a-ninox-token');
		await modal.getByTestId('credential-save-button').click();
		await s.verify(credential.notNinox, async () => {
			const outcome = await credentialTestOutcome();
			if (outcome.ok) throw new Error('"Connection tested successfully" against n8n');
			if (!/Ninox/.test(outcome.details)) throw new Error(`the test says only: ${outcome.text} ${outcome.details}`);
			return outcome.details;
		});
		s.step('a server address without a scheme');
		const first = await credentialTestOutcome();
		await modal.getByTestId('parameter-input-baseUrl').locator('input').fill('127.0.0.1:1');
		await modal.getByTestId('credential-save-button').click();
		await s.verify(credential.noScheme, async () => {
			const field = (await modal.getByTestId('credential-connection-parameter').filter({ has: ui.testId('parameter-input-baseUrl') }).innerText()).replace(/\s+/g, ' ');
			// The banner of the first test stays until the second one has answered.
			const outcome = await until('the second connection test', 30_000, async () => {
				const now = await credentialTestOutcome();
				return now.ok || now.details !== first.details ? now : undefined;
			});
			if (/^\s*Invalid URL\s*$/i.test(outcome.details)) throw new Error(`the test says only "${outcome.details}"`);
			if (!/https:\/\//.test(field + outcome.details)) throw new Error(`no hint about https://: ${field} / ${outcome.details}`);
			return `${field.replace(/^Server URL \* Fixed Expression /, '')} / ${outcome.details || outcome.text}`;
		});

		/** The credential test's banner after Save, with its "More details" opened. */
		async function credentialTestOutcome(): Promise<{ ok: boolean; text: string; details: string }> {
			const success = modal.getByText('Connection tested successfully');
			const failure = modal.getByText(/Couldn.t connect with these settings/);
			await success.or(failure).first().waitFor({ timeout: 30_000 });
			if (await success.isVisible()) return { ok: true, text: 'Connection tested successfully', details: '' };
			const more = modal.getByText('More details');
			if (await more.isVisible()) await more.click();
			// n8n's banner keeps the node's message in its details part.
			const details = modal.locator('[class*="_details_"]').filter({ hasText: /\S/ });
			await details.waitFor({ timeout: 5_000 }).catch(() => undefined);
			return {
				ok: false,
				text: (await failure.first().innerText()).trim(),
				details: (await details.count()) ? (await details.first().innerText()).trim() : '',
			};
		}
	});

	await page.close();
}
