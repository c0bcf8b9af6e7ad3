import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fieldsPath, ninox4Request } from '../../transport';
import { groupByTable, ItemResults, sendBatches } from '../batch';
import { tableParameters } from '../common';
import { fieldBody, fieldDefinition } from './shared';

export const description: INodeProperties[] = [
	{
		displayName: 'Each input item defines one field (use expressions); all fields of a table are created in one transaction',
		name: 'createManyNotice',
		type: 'notice',
		default: '',
	},
	...tableParameters,
	...fieldDefinition,
];

/**
 * The fields of all items, one `POST …/{t}/fields/batch` per table: one transaction, so either every field of
 * the table is created or none (duplicate names, a bad type…), and then every item of it fails.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(this, items.length, results, (itemIndex) => fieldBody.call(this, itemIndex));
	for (const { ref, entries } of groups) {
		await sendBatches(this, entries, { maxCount: entries.length, transactional: true }, results, async (bodies, itemIndexes) =>
			await ninox4Request<IDataObject[]>(this, {
				method: 'POST',
				path: [...fieldsPath(ref.moduleName, ref.tableName), 'batch'],
				body: bodies,
				itemIndex: itemIndexes[0],
			}),
		);
	}
	return results.all();
}
