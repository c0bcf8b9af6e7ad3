import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldsPath, ninox4Request } from '../../transport';
import { fieldParameters, locatorName, readTableRef } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: "This deletes the field and every record's value in it (a reference takes its reverse with it). It cannot be undone.",
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	...fieldParameters,
];

/** `DELETE …/{t}/fields/{f}`; Ninox 4 answers with the deleted field. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const field = locatorName.call(this, 'field', itemIndex);
	const deleted = await ninox4Request<IDataObject>(this, {
		method: 'DELETE',
		path: [...fieldsPath(moduleName, tableName), field],
		itemIndex,
	});
	return { deleted: true, ...deleted };
}
