import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest, recordPath } from '../../transport';
import { recordId, recordIdParameter } from '../common';
import { choiceStyleOption, outputFieldIdsOption, readTableRef, recordNotFound, tableParameters } from './shared';

export const description: INodeProperties[] = [
	...tableParameters,
	recordIdParameter,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [choiceStyleOption, outputFieldIdsOption],
	},
];

/** `GET …/records/{rid}`; Output Field IDs uses Ninox's own `style=ids` (no schema request). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ref = readTableRef.call(this, itemIndex);
	const id = recordId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		choiceStyle?: string;
		outputFieldIds?: boolean;
	};
	try {
		return await ninoxRequest<IDataObject>(this, {
			method: 'GET',
			path: recordPath(ref.teamId, ref.databaseId, ref.tableId, id),
			query: {
				choiceStyle: options.choiceStyle === 'ids' ? 'ids' : undefined,
				style: options.outputFieldIds ? 'ids' : undefined,
			},
			itemIndex,
		});
	} catch (error) {
		throw recordNotFound.call(this, error, ref, [id], itemIndex);
	}
}
