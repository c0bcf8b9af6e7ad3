import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request, tablePath } from '../../transport';
import { readTableRef, tableParameters } from '../common';
import { newNameOption, requireChanges, schemaBody } from '../shared';
import { tableUpdateFields } from './shared';

export const description: INodeProperties[] = [
	...tableParameters,
	{ ...tableUpdateFields, options: [newNameOption('table'), ...(tableUpdateFields.options as INodeProperties[])] },
];

/** `PATCH /modules/{m}/tables/{t}` with the settings to change; a New Name renames the table. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = requireChanges.call(this, schemaBody.call(this, 'table', itemIndex, fields), 'table', itemIndex);
	// A rename sent twice would find the old name gone.
	return await ninox4Request<IDataObject>(this, {
		method: 'PATCH',
		path: tablePath(moduleName, tableName),
		body,
		repeatable: body.name === undefined,
		itemIndex,
	});
}
