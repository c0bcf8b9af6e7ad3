import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../../../Ninox/helpers/parameters';
import { parseRecordId, tableParameters } from '../common';
import { deleteRecords, recordsDeleteOptions } from './deleteRecords';

export const description: INodeProperties[] = [
	...tableParameters,
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12, 13, 14',
		description: 'The records to delete: IDs separated by commas, or an expression giving a list of IDs. Each input item may name several.',
	},
	recordsDeleteOptions,
];

/** The listed records of all items, deleted with `DELETE …/{t}/records` `{records: [ids]}` per batch. */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await deleteRecords.call(this, items, (itemIndex) => {
		const raw = itemParameter(this, 'recordIds', itemIndex, '');
		const list = Array.isArray(raw) ? raw : String(raw ?? '').split(',').filter((id) => id.trim() !== '');
		if (list.length === 0) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex} names no record IDs`, {
				itemIndex,
				description: 'Enter IDs separated by commas, e.g. 12, 13, 14.',
			});
		}
		return list.map((id) => parseRecordId.call(this, id, itemIndex));
	});
}
