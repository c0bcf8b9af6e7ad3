import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { modulePath, ninox4Request } from '../../transport';
import { moduleName, moduleParameters } from '../common';

export const description: INodeProperties[] = [...moduleParameters];

/** `GET /modules/{m}`: the module with its tables and their fields. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ninox4Request<IDataObject>(this, {
		method: 'GET',
		path: modulePath(moduleName.call(this, itemIndex)),
		itemIndex,
	});
}
