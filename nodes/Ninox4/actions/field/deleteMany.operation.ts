import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fieldsPath, ninox4Request } from '../../transport';
import { groupByTable, ItemResults, sendBatches } from '../batch';
import { fieldParameters, locatorName } from '../common';

export const description: INodeProperties[] = [
	{
		displayName:
			"This deletes the fields of all input items with every record's value in them, one transaction per table. It cannot be undone.",
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	...fieldParameters,
];

/** The fields of all items, one `DELETE …/{t}/fields/batch` `{fieldNames}` per table (all or none). */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(this, items.length, results, (itemIndex) => locatorName.call(this, 'field', itemIndex));
	for (const { ref, entries } of groups) {
		await sendBatches(this, entries, { maxCount: entries.length, transactional: true }, results, async (fieldNames, itemIndexes) => {
			const deleted = await ninox4Request<IDataObject[]>(this, {
				method: 'DELETE',
				path: [...fieldsPath(ref.moduleName, ref.tableName), 'batch'],
				body: { fieldNames },
				itemIndex: itemIndexes[0],
			});
			const byName = new Map((Array.isArray(deleted) ? deleted : []).map((field) => [field.name, field]));
			return fieldNames.map((name) => ({ deleted: true, ...(byName.get(name) ?? { name }) }));
		});
	}
	return results.all();
}
