import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { optionsCollection, recordId, recordIdParameter } from '../common';
import {
	batchSizeOption,
	groupByTable,
	ItemResults,
	readBatchSize,
	readWriteOptions,
	recordsPath,
	sendInBatches,
	tableParameters,
} from './shared';

const options = optionsCollection([{ ...batchSizeOption, description: 'How many record IDs go into one delete request' }]);

export const description: INodeProperties[] = [
	...tableParameters,
	{
		...recordIdParameter,
		description: 'The record to delete, usually an expression such as {{ $json.id }}: each input item names one',
	},
	options,
];

/** The record IDs of all items, deleted with one `DELETE …/records` (body `[ids]`, answer 204) per batch. */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const chosen = readWriteOptions.call(this, options);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(this, items.length, results, (_ref, itemIndex) => recordId.call(this, itemIndex));

	for (const { ref, entries } of groups) {
		await sendInBatches(this, entries, readBatchSize(chosen), results, async (ids, firstItemIndex) => {
			await ninoxRequest(this, { method: 'DELETE', path: recordsPath(ref), body: ids, itemIndex: firstItemIndex });
			return ids.map((id) => ({ deleted: true, id }));
		});
	}
	return results.all();
}
