import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request, tablePath } from '../../transport';
import { RECORD_SEGMENT } from '../../transport/facts';
import { readTableRef, recordId, recordIdParameter, tableParameters } from '../common';
import { fieldsOption, fieldsQuery } from './shared';

export const description: INodeProperties[] = [
	...tableParameters,
	recordIdParameter,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [fieldsOption],
	},
];

/** `GET …/{t}/record/{id}` (*ext.*): the record as `{id, values}`. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const id = recordId.call(this, itemIndex);
	const { fields } = this.getNodeParameter('options', itemIndex, {}) as { fields?: string[] };
	return await ninox4Request<IDataObject>(this, {
		method: 'GET',
		path: [...tablePath(moduleName, tableName), RECORD_SEGMENT, id],
		query: { fields: fieldsQuery(fields) },
		itemIndex,
	});
}
