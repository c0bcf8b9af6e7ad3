/** Execute step on an imported workflow: create or update, find, file download and script query. */
import { DEMO } from '../../../server';
import { NEWEST_CONTACTS } from '../stack';
import { expectSuccess } from '../editor';
import type { Walk } from '../walk';

/** test/e2e/ui/workflows/operations.workflow.json */
const OPERATIONS = 'uiWalkOperation1';

export async function operations(walk: Walk): Promise<void> {
	const { page, ui, report, contacts, noteAddOptionLabels } = walk;
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
		const openPanel = async (node: string) => {
			s.step(node);
			await ui.openNode(node);
			await noteAddOptionLabels(node);
		};
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

		await openPanel('Create or Update Contacts');
		const upsert = await ui.execute();
		await s.verify(operations.upsert, async () => {
			expectSuccess(upsert);
			const { headers, rows } = await ui.outputTable();
			const said = rows.map((row) => row.find((cell) => /^(created|updated)$/i.test(cell)) ?? '?');
			if (said.join() !== 'updated,created') throw new Error(`the items say ${said.join(', ')}; columns ${headers.join(', ')}`);
			return `${NEWEST_CONTACTS[0].Email}: updated; a new address: created`;
		});
		await ui.closeNode();

		await openPanel('Find Leads');
		const find = await ui.execute();
		const leads = contacts().filter((record) => record.fields.Status === 'Lead').length;
		await s.verify(operations.findAll, async () => {
			expectSuccess(find);
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

		await openPanel('Download Photo');
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
			expectSuccess(download);
			const text = await ui.output.innerText();
			if (!text.includes(DEMO.imageFileName) || !text.includes('image/png')) throw new Error(`the output shows: ${text.slice(0, 300)}`);
			return 'ninox_logo.png, image/png';
		});
		await ui.closeNode();

		await openPanel('Query Leads');
		const query = await ui.execute();
		await s.verify(operations.script, async () => {
			expectSuccess(query);
			const count = await ui.itemCount();
			const { headers } = await ui.outputTable();
			const fieldsByName = headers.includes('First Name') || headers.includes('fields');
			if (count !== leads || !fieldsByName) throw new Error(`${count} item(s) (${leads} Leads); columns ${headers.join(', ')}`);
			return `${count} items; columns ${headers.slice(0, 6).join(', ')}…`;
		});
		await ui.closeNode();
	});
}
