/** The Ninox Trigger's Fetch Test Event, with Events = Updated. */
import { expectSuccess } from '../editor';
import type { Walk } from '../walk';

/** test/e2e/ui/workflows/trigger.workflow.json */
const TRIGGER = 'uiWalkTrigger001';

export async function fetchTestEvent(walk: Walk): Promise<void> {
	const { page, ui, report, addOptionLabels, noteAddOptionLabels } = walk;
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
		expectSuccess(fetched);
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
}
