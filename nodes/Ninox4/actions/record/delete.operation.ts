import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteRecords, recordsDeleteOptions } from './deleteRecords';
import { recordId, recordIdParameter, tableParameters } from '../common';

export const description: INodeProperties[] = [
	...tableParameters,
	{ ...recordIdParameter, description: 'The record to delete, usually an expression such as {{ $json.id }}: each input item names one' },
	recordsDeleteOptions,
];

/** The record of each item, all deleted with `DELETE …/{t}/records` `{records: [ids]}` per batch. */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await deleteRecords.call(this, items, (itemIndex) => [recordId.call(this, itemIndex)]);
}
