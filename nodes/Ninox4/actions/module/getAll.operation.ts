import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4SchemaList } from '../../transport';
import { limitParameter, readLimit, returnAllParameter } from '../common';

export const description: INodeProperties[] = [returnAllParameter, limitParameter];

/** `GET /modules`, each module with its tables. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await ninox4SchemaList<IDataObject>(this, { path: ['modules'], itemIndex }, readLimit.call(this, itemIndex));
}
