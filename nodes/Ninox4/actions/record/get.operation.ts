import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request, tablePath } from '../../transport';
import { RECORD_SEGMENT } from '../../transport/facts';
import { readTableRef, recordId, recordIdParameter, tableParameters } from '../common';
import { fieldsOption, fieldsQuery, outputOption, readRecordOutput } from './shared';
import { optionsCollection } from '../../../Ninox/actions/common';

export const description: INodeProperties[] = [
	...tableParameters,
	recordIdParameter,
	optionsCollection([fieldsOption, outputOption]),
];

/** `GET …/{t}/record/{id}` (*ext.*): the record, Simplified or as Ninox 4 sends it (`{id, values}`). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const id = recordId.call(this, itemIndex);
	const { fields, output } = this.getNodeParameter('options', itemIndex, {}) as { fields?: string[]; output?: string };
	const record = await ninox4Request<IDataObject>(this, {
		method: 'GET',
		path: [...tablePath(moduleName, tableName), RECORD_SEGMENT, id],
		query: { fields: fieldsQuery(fields) },
		itemIndex,
	});
	return readRecordOutput(record, output);
}
