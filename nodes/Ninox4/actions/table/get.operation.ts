import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request, tablePath } from '../../transport';
import { readTableRef, tableParameters } from '../common';

export const description: INodeProperties[] = [...tableParameters];

/** `GET /modules/{m}/tables/{t}`: the table with its fields, their types and choices. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	return await ninox4Request<IDataObject>(this, { method: 'GET', path: tablePath(moduleName, tableName), itemIndex });
}
