import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { modulePath, ninox4SchemaList } from '../../transport';
import { limitParameter, moduleName, moduleParameters, readLimit, returnAllParameter } from '../common';

export const description: INodeProperties[] = [...moduleParameters, returnAllParameter, limitParameter];

/** `GET /modules/{m}/tables`, each table with its fields. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await ninox4SchemaList<IDataObject>(
		this,
		{ path: [...modulePath(moduleName.call(this, itemIndex)), 'tables'], itemIndex },
		readLimit.call(this, itemIndex),
	);
}
