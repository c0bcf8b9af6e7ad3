import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest, recordPath } from '../../transport';
import { optionsCollection, readOptions, recordId, recordIdParameter } from '../common';
import type { RecordOutputOptions } from './shared';
import {
	choiceStyleOption,
	outputFieldIdsOption,
	outputOption,
	readTableRef,
	recordNotFound,
	recordOutput,
	tableParameters,
} from './shared';

const options = optionsCollection([choiceStyleOption, outputOption, outputFieldIdsOption]);

export const description: INodeProperties[] = [
	...tableParameters,
	recordIdParameter,
	options,
];

/** `GET …/records/{rid}`; Output Field IDs uses Ninox's own `style=ids` (no schema request). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ref = readTableRef.call(this, itemIndex);
	const id = recordId.call(this, itemIndex);
	const chosen = readOptions<RecordOutputOptions & { choiceStyle?: string }>(this, itemIndex, options);
	let record: IDataObject;
	try {
		record = await ninoxRequest<IDataObject>(this, {
			method: 'GET',
			path: recordPath(ref.teamId, ref.databaseId, ref.tableId, id),
			query: {
				choiceStyle: chosen.choiceStyle === 'ids' ? 'ids' : undefined,
				style: chosen.outputFieldIds ? 'ids' : undefined,
			},
			itemIndex,
		});
	} catch (error) {
		throw recordNotFound.call(this, error, ref, [id], itemIndex);
	}
	// Ninox keyed the fields by id already (style=ids).
	return await recordOutput(undefined, record, { output: chosen.output });
}
