import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldsPath, ninox4SchemaList } from '../../transport';
import { limitParameter, readLimit, readTableRef, returnAllParameter, tableParameters } from '../common';

export const description: INodeProperties[] = [...tableParameters, returnAllParameter, limitParameter];

/** `GET …/{t}/fields`: every field with its type, options and settings. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	return await ninox4SchemaList<IDataObject>(this, { path: fieldsPath(moduleName, tableName), itemIndex }, readLimit.call(this, itemIndex));
}
