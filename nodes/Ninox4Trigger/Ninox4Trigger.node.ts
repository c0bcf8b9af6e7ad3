import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { idFromLocator } from '../Ninox/actions/common';
import { checkName, moduleLocator, tableLocator } from '../Ninox4/actions/common';
import type { TableRef } from '../Ninox4/helpers/schema';
import { tableLabel } from '../Ninox4/helpers/schema';
import { searchModules, searchTables } from '../Ninox4/methods/listSearch';
import { timeoutOption } from '../shared/requestOptions';
import { eventsParameter, guardPoll, readEvents } from '../shared/trigger';
import { countChange, keysAt, recordChanges } from './changes';
import type { Cursor } from './cursor';
import { knownSize, savedCursor, saveCursor } from './cursor';
import { feedPosition, readWindow } from './feed';
import { changeItem } from './item';
import { sampleItems } from './sample';
import { countRecords, readValues } from './values';

const NODE_NAME = 'Ninox 4 Trigger';

function locatorName(context: IPollFunctions, name: 'module' | 'table'): string {
	const value = context.getNodeParameter(name, '', { extractValue: true });
	return checkName.call(context, idFromLocator(context, name, value), name);
}

function readTable(context: IPollFunctions): TableRef {
	return { moduleName: locatorName(context, 'module'), tableName: locatorName(context, 'table') };
}

export class Ninox4Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ninox 4 Trigger',
		name: 'ninox4Trigger',
		icon: { light: 'file:ninox4.svg', dark: 'file:ninox4.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when records of a Ninox 4 table are created, updated or deleted',
		defaults: { name: 'Ninox 4 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ninox4Api', required: true }],
		properties: [
			{
				displayName:
					"The table's history must be on: Ninox 4 lists record changes only for tables that keep their history. The trigger never changes the table.",
				name: 'historyNotice',
				type: 'notice',
				default: '',
			},
			moduleLocator,
			tableLocator,
			eventsParameter,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					timeoutOption(
						'Seconds to wait for Ninox 4 to answer a request. A read that gets no answer in time is tried again; a poll that still gets none fails and keeps its place.',
					),
				],
			},
		],
	};

	methods = { listSearch: { searchModules, searchTables } };

	/**
	 * Follows the table's change feed from the `asOf` saved in static data:
	 * - first activation (or another table): learns the feed's `asOf` and the table's record count, emits nothing;
	 * - each poll: one request when nothing changed; otherwise the feed's pages, then the changed records' values
	 *   (one by one, or the table's pages when those are fewer requests), one item per changed record;
	 * - the cursor is written only after everything succeeded, so an error leaves it where it was, and a poll
	 *   overtaken by another (n8n does not wait for the last poll) emits nothing (`guardPoll`).
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const ref = readTable(this);
		const events = readEvents(this);
		if (this.getMode() === 'manual') return [await sampleItems(this, ref, events)];

		const { staticData, overtaken } = guardPoll(this, NODE_NAME);
		const table = tableLabel(ref);
		const cursor = savedCursor(staticData, table);
		if (!cursor) {
			const asOf = await feedPosition(this, ref);
			const records = await countRecords(this, ref);
			if (!overtaken()) saveCursor(staticData, { table, asOf, seen: [], records });
			return null;
		}

		const window = await readWindow(this, ref, cursor.asOf);
		const changes = recordChanges(window.entries, new Set(cursor.seen));
		const size = knownSize(cursor);
		const next: Cursor = {
			table,
			asOf: window.asOf,
			seen: keysAt(window.entries, window.asOf),
			records: size === undefined ? -1 : Math.max(0, size + countChange(changes)),
		};
		const chosen = changes.filter((change) => events.has(change.event));
		if (chosen.length === 0) {
			if (!overtaken()) saveCursor(staticData, next);
			return null;
		}
		const toRead = chosen.filter((change) => change.event !== 'deleted').map((change) => change.id);
		const { values, tableSize } = await readValues(this, ref, toRead, knownSize(next));
		if (overtaken()) return null;
		if (tableSize !== undefined) next.records = tableSize;
		saveCursor(staticData, next);
		return [chosen.map((change) => ({ json: changeItem(ref, change, values) }))];
	}
}
