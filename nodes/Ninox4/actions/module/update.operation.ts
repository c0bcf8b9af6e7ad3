import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { modulePath, ninox4Request } from '../../transport';
import { moduleName, moduleParameters } from '../common';
import { newNameOption, requireChanges, schemaBody } from '../shared';
import { moduleUpdateFields } from './shared';

export const description: INodeProperties[] = [
	...moduleParameters,
	{ ...moduleUpdateFields, options: [newNameOption('module'), ...(moduleUpdateFields.options as INodeProperties[])] },
];

/** `PATCH /modules/{m}` with the settings to change; a New Name renames the module. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = moduleName.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = requireChanges.call(this, schemaBody.call(this, 'module', itemIndex, fields), 'module', itemIndex);
	// A rename sent twice would find the old name gone.
	return await ninox4Request<IDataObject>(this, {
		method: 'PATCH',
		path: modulePath(name),
		body,
		repeatable: body.name === undefined,
		itemIndex,
	});
}
