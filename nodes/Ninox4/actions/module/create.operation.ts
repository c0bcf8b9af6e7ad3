import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request } from '../../transport';
import { labelParameter, nameParameter, schemaBody } from '../shared';
import { moduleSettings } from './shared';

export const description: INodeProperties[] = [
	nameParameter('module', 'crm'),
	labelParameter('module', false),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: moduleSettings,
	},
];

/** `POST /modules` `{name, labels, …}`; not repeated after a failure it may have survived (a module name is unique). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = schemaBody.call(this, 'module', itemIndex, this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, {
		name: this.getNodeParameter('name', itemIndex) as string,
		label: (this.getNodeParameter('label', itemIndex, '') as string) || undefined,
	});
	return await ninox4Request<IDataObject>(this, { method: 'POST', path: ['modules'], body, itemIndex });
}
