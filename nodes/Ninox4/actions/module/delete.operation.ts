import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { modulePath, ninox4Request } from '../../transport';
import { moduleName, moduleParameters } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'This deletes the module with all its tables, fields and records. It cannot be undone.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	...moduleParameters,
];

/** `DELETE /modules/{m}`. Not repeated after a lost answer: Ninox 4 deletes are not idempotent. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = moduleName.call(this, itemIndex);
	const answer = await ninox4Request<IDataObject>(this, { method: 'DELETE', path: modulePath(name), itemIndex });
	return { deleted: true, module: name, ...answer };
}
