import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { TableRef } from '../../helpers/fields';
import { tableRefKey } from '../../helpers/fields';
import { ninoxRequest } from '../../transport';
import { recordId, recordIdParameter } from '../common';
import type { WriteEntry } from './shared';
import {
	batchSizeOption,
	ItemResults,
	readBatchSize,
	readTableRef,
	readWriteOptions,
	recordsPath,
	sendInBatches,
	tableParameters,
} from './shared';

export const description: INodeProperties[] = [
	...tableParameters,
	{
		...recordIdParameter,
		description: 'The record to delete, usually an expression such as {{ $json.id }}: each input item names one',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [{ ...batchSizeOption, description: 'How many record IDs go into one delete request' }],
	},
];

/** The record IDs of all items, deleted with one `DELETE …/records` (body `[ids]`, answer 204) per batch. */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const groups = new Map<string, { ref: TableRef; entries: Array<WriteEntry<number>> }>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const ref = readTableRef.call(this, itemIndex);
			const id = recordId.call(this, itemIndex);
			const key = tableRefKey(ref);
			if (!groups.has(key)) groups.set(key, { ref, entries: [] });
			groups.get(key)!.entries.push({ itemIndexes: [itemIndex], payload: id });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}

	for (const { ref, entries } of groups.values()) {
		await sendInBatches(this, entries, readBatchSize(options), results, async (ids, firstItemIndex) => {
			await ninoxRequest(this, { method: 'DELETE', path: recordsPath(ref), body: ids, itemIndex: firstItemIndex });
			return ids.map((id) => ({ deleted: true, id }));
		});
	}
	return results.all();
}
