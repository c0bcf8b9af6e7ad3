import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { modulePath, ninox4Request } from '../../transport';
import { moduleName, moduleParameters } from '../common';
import { labelParameter, nameParameter, schemaBody } from '../shared';
import { tableSettings } from './shared';

export const description: INodeProperties[] = [
	...moduleParameters,
	nameParameter('table', 'contacts'),
	labelParameter('table', true),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: tableSettings,
	},
];

/** `POST /modules/{m}/tables` `{name, labels, …}` (Ninox 4 requires both). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inModule = moduleName.call(this, itemIndex);
	const body = schemaBody.call(this, 'table', itemIndex, this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, {
		name: this.getNodeParameter('name', itemIndex) as string,
		label: this.getNodeParameter('label', itemIndex, '') as string,
	});
	return await ninox4Request<IDataObject>(this, { method: 'POST', path: [...modulePath(inModule), 'tables'], body, itemIndex });
}
