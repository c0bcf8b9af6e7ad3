import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request, tablePath } from '../../transport';
import { readTableRef, tableParameters } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'This deletes the table with all its fields and records. It cannot be undone.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	...tableParameters,
];

/** `DELETE /modules/{m}/tables/{t}`. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const answer = await ninox4Request<IDataObject>(this, { method: 'DELETE', path: tablePath(moduleName, tableName), itemIndex });
	return { deleted: true, module: moduleName, table: tableName, ...answer };
}
