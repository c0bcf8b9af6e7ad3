/**
 * A new workflow: the Ninox node from the nodes panel, team, database and table from the lists, the field
 * mapper, and Execute step on Create.
 */
import { DEMO } from '../../../server';
import { expectSuccess } from '../editor';
import type { Walk } from '../walk';

const { teamId, teamName, dbId, dbName, contactTableId } = DEMO;
const NEW_CONTACT = { 'First Name': 'Uma Walk', Status: 'Lead', Birthday: '1990-04-01' };
/** Fields Ninox computes: the store shows them in every record. */
const COMPUTED = ['Full Name'];

export async function newNodeFromPanel(walk: Walk): Promise<void> {
	const { page, ui, report, contacts, noteAddOptionLabels } = walk;
	const create = {
		panel: 'nodes panel: "Ninox" offers the trigger events and the actions, Create records among them',
		credential: 'the only Ninox credential is preselected',
		lists: '8 team, database and table lists show names with their IDs',
		autoNotice: '3 Map Automatically says what it writes for Contact, not "This table has no fields"',
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
		s.step('create a workflow and search the nodes panel');
		await ui.newWorkflowAtActions('Ninox', 'Ninox', 'Create records');
		await s.verify(create.panel, async () => {
			const items = await ui.testId('node-creator-item-name').allInnerTexts();
			const expected = ['On created', 'On updated', 'On deleted', 'Create records', 'Find records by field values'];
			const missing = expected.filter((name) => !items.includes(name));
			if (missing.length) throw new Error(`missing ${missing.join(', ')} in: ${items.join(', ')}`);
			return `${items.length} entries`;
		});
		await ui.creatorItem('Create records').click();
		await ui.ndv.waitFor();
		await s.verify(create.credential, async () => {
			const value = await ui.chosenCredential();
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
			if (!/Map Automatically writes each input field named like a field of table Contact/.test(text)) {
				throw new Error(`the mapper does not say what Map Automatically writes: ${text}`);
			}
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
			expectSuccess(run);
			if (created.length !== 1) throw new Error(`${created.length} records were created`);
			const sent = Object.keys(created[0].fields).filter((name) => !COMPUTED.includes(name));
			const extra = sent.filter((name) => !(name in NEW_CONTACT));
			const stored = (name: string) => `${name}: ${JSON.stringify(created[0].fields[name])}`;
			if (extra.length) throw new Error(`also stored ${extra.map(stored).join(', ')}`);
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
}
