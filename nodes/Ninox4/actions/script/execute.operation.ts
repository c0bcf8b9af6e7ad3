import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ninox4Request } from '../../transport';
import { SCRIPT_EXEC_SEGMENTS } from '../../transport/facts';
import { checkName, moduleName, moduleParameters, parseRecordId } from '../common';
import { optionsCollection } from '../../../Ninox/actions/common';

export const description: INodeProperties[] = [
	...moduleParameters,
	{
		displayName: 'Script',
		name: 'script',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		placeholder: 'count(select contacts)',
		description: 'Ninox script, run in the module. It may change data and fires triggers; it is never sent twice.',
	},
	optionsCollection([
		{
			displayName: 'Record ID',
			name: 'rowId',
			type: 'string',
			default: '',
			description: 'A record the script runs on (as "this"); needs the Table Name',
		},
		{
			displayName: 'Table Name',
			name: 'tableName',
			type: 'string',
			default: '',
			placeholder: 'contacts',
			description: 'The table the script runs in',
		},
	]),
];

/** `POST /script/exec` `{moduleName, script, tableName?, rowId?}` (*ext.*): the script's result as `result`. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const script = String(this.getNodeParameter('script', itemIndex, ''));
	if (script.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'The Script is empty', { itemIndex, description: 'Enter the Ninox script to run.' });
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as { rowId?: string; tableName?: string };
	const tableName = options.tableName?.trim() ? checkName.call(this, options.tableName.trim(), 'table', itemIndex) : undefined;
	const rowId = options.rowId?.toString().trim() ? parseRecordId.call(this, options.rowId, itemIndex) : undefined;
	if (rowId !== undefined && tableName === undefined) {
		throw new NodeOperationError(this.getNode(), 'A Record ID needs the Table Name', {
			itemIndex,
			description: 'Enter the table the record belongs to.',
		});
	}
	const result = await ninox4Request<unknown>(this, {
		method: 'POST',
		path: SCRIPT_EXEC_SEGMENTS,
		body: { moduleName: moduleName.call(this, itemIndex), script, ...(tableName ? { tableName } : {}), ...(rowId ? { rowId } : {}) },
		itemIndex,
	});
	return { result: result as IDataObject[string] };
}
