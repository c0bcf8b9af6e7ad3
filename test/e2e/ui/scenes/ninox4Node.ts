/**
 * A new workflow with the Ninox 4 node: Record → Create from the nodes panel, module and table from the lists,
 * the field mapper of crm/contacts, and Execute step on Create.
 */
import { DEMO4, renderRecord } from '../../../server4';
import { expectSuccess } from '../editor';
import type { Walk } from '../walk';

/** last_name is required: the mapper shows it from the start. */
const NEW_CONTACT = { first_name: 'Uma', last_name: 'Four', status: 'Lead', birthday: '1991-05-02' };
/** Fields Ninox 4 computes (function, reverse reference): every stored record reads them. */
const COMPUTED = ['full_name', 'deals'];
/** The node's name on the canvas: n8n names a node added from the panel after its action. */
const NODE = 'Create records';
/**
 * What "Add field to send" must offer for crm/contacts, with the words its label adds (the type). Reads name a
 * reference's target by an internal id only, so company's label cannot name the table.
 */
const FIELDS: Record<string, RegExp> = {
	first_name: /^first_name$/,
	score: /^score$/,
	subscribed: /^subscribed$/,
	status: /^status$/,
	birthday: /^birthday \(date, e\.g\. \d{4}-\d{2}-\d{2}\)$/,
	tags: /^tags \(any of: VIP, Newsletter, Partner, Supplier; separate with commas\)$/,
	company: /^company \(record ID (in table companies|of the referenced table)\)$/,
	full_name: /^full_name \(function\)$/,
};

export async function ninox4NewNode(walk: Walk): Promise<void> {
	const { page, ui, report, stack } = walk;
	const { store } = stack.server4;
	const contacts = () => {
		const table = store.table(DEMO4.module, DEMO4.contacts);
		return table.recordList().map((record) => renderRecord(store, table, record));
	};
	const create = {
		panel: 'nodes panel: "Ninox 4" → Record → Create records opens the Ninox 4 node',
		credential: 'the only Ninox 4 credential is preselected',
		lists: 'module and table lists show names: CRM (crm), Contacts (contacts)',
		fields: 'mapper: crm/contacts fields with their types (birthday a date, tags its choices, company a record ID; required last_name shown)',
		choice: 'mapper: status (choice) offers Lead, Active, Inactive',
		multi: 'mapper: tags (multiple choice) names its choices; no JSON editor',
		readOnly: 'mapper: the function field full_name is read-only',
		autoNotice: 'Map Automatically says what it writes for crm/contacts, not "This table has no fields"',
		writes: 'create: Execute step stores only the fields filled in (first_name, last_name, status, birthday) on the Ninox 4 server',
		columns: 'create: the output Table view has a column per field',
		subtitle: 'canvas subtitle "Create: Record"',
	};
	await report.scene('a new workflow: the Ninox 4 node from the nodes panel', page, Object.values(create), async (s) => {
		s.step('create a workflow and search the nodes panel');
		await ui.closeNodeIfOpen();
		await ui.newWorkflowAtActions('Ninox 4', 'Ninox 4', 'Create records');
		await s.verify(create.panel, async () => {
			const items = await ui.testId('node-creator-item-name').allInnerTexts();
			const expected = ['Create records', 'Update records', 'Get many records', 'Import records from a CSV file'];
			const missing = expected.filter((name) => !items.includes(name));
			if (missing.length) throw new Error(`missing ${missing.join(', ')} in: ${items.join(', ')}`);
			await ui.creatorItem('Create records').click();
			await ui.ndv.waitFor();
			const shown = async (parameter: string) => await ui.testId(`parameter-input-${parameter}`).locator('input').first().inputValue();
			const [resource, operation] = [await shown('resource'), await shown('operation')];
			if (resource !== 'Record' || operation !== 'Create') throw new Error(`the panel shows Resource ${resource}, Operation ${operation}`);
			return `${items.length} entries; Resource ${resource}, Operation ${operation}`;
		});
		await ui.ndv.waitFor();
		await s.verify(create.credential, async () => {
			const value = await ui.chosenCredential();
			if (value !== 'Ninox 4 (local server)') throw new Error(`the credential field shows "${value}"`);
			return value;
		});

		s.step('pick module and table from the lists');
		const modules = await ui.locatorEntries('module');
		await ui.pickEntry('CRM');
		const tables = await ui.locatorEntries('table');
		await ui.pickEntry('Contacts');
		await s.verify(create.lists, async () => {
			for (const [entries, shown] of [
				[modules, 'CRM (crm)'],
				[tables, 'Contacts (contacts)'],
			] as const) {
				if (!entries.some((entry) => entry.trim().startsWith(shown))) throw new Error(`no entry "${shown}": ${entries.join(' | ')}`);
			}
			return `${modules.join(', ')} / ${tables.join(', ')}`;
		});

		s.step('the field mapper loads crm/contacts');
		await ui.ensureNodeOpen(NODE);
		await ui.testId('add-fields-select').waitFor({ timeout: 30_000 });
		const offered = await ui.addMapperField('status');
		await s.verify(create.fields, async () => {
			const wrong = Object.entries(FIELDS)
				.filter(([name, label]) => !offered.some((entry) => entry.startsWith(name) && label.test(entry)))
				.map(([name]) => name);
			if (wrong.length) throw new Error(`"Add field to send" shows ${wrong.join(', ')} otherwise: ${offered.join(' | ')}`);
			if (offered.some((entry) => entry.startsWith('last_name')) || !(await ui.mapperField('last_name').count())) {
				throw new Error('the required last_name is not in the mapper from the start');
			}
			return `last_name (required) shown; to add: ${offered.join(', ')}`;
		});
		await s.verify(create.choice, async () => {
			const status = await ui.optionsOf(ui.testId('parameter-input-status'));
			if ([...status].sort().join() !== 'Active,Inactive,Lead') throw new Error(`status offers ${status.join(', ')}`);
			return status.join(', ');
		});
		await s.verify(create.multi, async () => {
			await ui.addMapperField('tags');
			const tags = ui.testId('parameter-input-tags');
			await tags.scrollIntoViewIfNeeded();
			const text = (await ui.mapperField('tags').innerText()).replace(/\s+/g, ' ');
			if (await tags.locator('.cm-editor').count()) throw new Error('tags is a JSON editor');
			const missing = ['VIP', 'Newsletter', 'Partner', 'Supplier'].filter((choice) => !text.includes(choice));
			if (missing.length) throw new Error(`tags does not name ${missing.join(', ')}: ${text}`);
			await ui.removeMapperField('tags');
			return text.replace(/ Fixed Expression/, '');
		});
		await s.verify(create.readOnly, async () => {
			await ui.addMapperField('full_name');
			const input = ui.testId('parameter-input-full_name').locator('input, textarea').first();
			const disabled = await input.isDisabled();
			await ui.removeMapperField('full_name');
			if (!disabled) throw new Error('the function field full_name can be written');
			return 'full_name (function): disabled';
		});
		await ui.mappingMode('Map Automatically');
		await s.verify(create.autoNotice, async () => {
			const text = (await ui.mapper.innerText()).replace(/\s+/g, ' ');
			if (/This table has no fields/.test(text)) throw new Error('the mapper says "This table has no fields"');
			if (!/Map Automatically writes each input field named like a field of table crm\/contacts/.test(text)) {
				throw new Error(`the mapper does not say what Map Automatically writes: ${text}`);
			}
			return text.slice(0, 160);
		});
		await ui.mappingMode('Map Each Column Manually');
		await ui.testId('add-fields-select').waitFor();

		s.step('fill in first_name, last_name, status and birthday');
		await ui.ensureNodeOpen(NODE);
		for (const field of ['first_name', 'status', 'birthday']) {
			if (!(await ui.mapperField(field).count())) await ui.addMapperField(field);
		}
		for (const field of ['first_name', 'last_name'] as const) {
			await ui.testId(`parameter-input-${field}`).locator('input').fill(NEW_CONTACT[field]);
		}
		await ui.selectOption('status', NEW_CONTACT.status);
		const birthday = ui.testId('parameter-input-birthday').locator('input').first();
		await birthday.fill(NEW_CONTACT.birthday);
		await birthday.press('Enter');
		await s.shot('filled in');

		s.step('Execute step');
		const before = contacts().length;
		const logged = stack.server4.log.length;
		const run = await ui.execute();
		const created = contacts().slice(before);
		await s.verify(create.writes, async () => {
			expectSuccess(run);
			if (created.length !== 1) throw new Error(`${created.length} records were created`);
			const posts = stack.server4.log.slice(logged).filter((request) => request.method === 'POST');
			const sent = posts.flatMap((request) => (request.body as { records?: Array<Record<string, unknown>> }).records ?? []);
			const want = NEW_CONTACT as Record<string, unknown>;
			const names = (record: Record<string, unknown>) => Object.keys(record).sort().join(', ');
			if (sent.length !== 1 || names(sent[0]) !== names(want)) throw new Error(`sent ${JSON.stringify(sent)}`);
			const { values } = created[0];
			const empty = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0);
			const stored = Object.keys(values).filter((name) => !empty(values[name]) && !COMPUTED.includes(name));
			const shown = stored.map((name) => `${name}: ${JSON.stringify(values[name])}`).join(', ');
			if (stored.sort().join() !== Object.keys(want).sort().join() || stored.some((name) => values[name] !== want[name])) {
				throw new Error(`record ${created[0].id} holds ${shown}`);
			}
			return `sent and stored as record ${created[0].id}: ${shown}`;
		});
		await s.verify(create.columns, async () => {
			if (run.error) throw new Error(`no output: ${run.error}`);
			const { headers, rows } = await ui.outputTable();
			const want = ['id', ...Object.keys(NEW_CONTACT)];
			if (headers.join() !== want.join()) throw new Error(`columns are ${headers.join(', ')}`);
			return `${headers.join(', ')} — ${rows[0]?.join(', ')}`;
		});
		await ui.closeNode();
		await s.verify(create.subtitle, async () => {
			const text = await ui.canvasNodeText(NODE);
			if (!text.includes('Create: Record')) throw new Error(`the canvas shows "${text}"`);
			return text;
		});
	});
}
