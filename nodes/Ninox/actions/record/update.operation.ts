import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ninoxRequest, recordPath } from '../../transport';
import { recordId, recordIdParameter } from '../common';
import {
	batchSizeOption,
	clearEmptyOption,
	columnsParameter,
	fieldsInputParameter,
	fieldsJsonParameter,
	ignoreUnwritableOption,
	groupByTable,
	ItemResults,
	prepareItemFields,
	readBatchSize,
	readWriteOptions,
	recordNotFound,
	recordsPath,
	SchemaCache,
	sendInBatches,
	tableParameters,
	writeNotice,
} from './shared';

export const description: INodeProperties[] = [
	...tableParameters,
	{
		...recordIdParameter,
		description: 'The record to update, usually an expression such as {{ $json.id }}',
	},
	writeNotice,
	fieldsInputParameter,
	columnsParameter('map'),
	fieldsJsonParameter,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [batchSizeOption, clearEmptyOption, ignoreUnwritableOption],
	},
];

interface UpdatePayload extends IDataObject {
	id: number;
	fields: IDataObject;
}

/**
 * Merge semantics: only the fields sent change. One input item is one `PUT …/records/{id}`; several items go as
 * `POST …/records` batches of `[{"id": n, "fields": {…}}]`, which name their records and so may be repeated.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable<UpdatePayload>(
		this,
		items.length,
		results,
		(_ref, itemIndex, fields) => ({
			id: recordId.call(this, itemIndex),
			fields: prepareItemFields.call(this, fields, items[itemIndex], itemIndex, options, 'name'),
		}),
		new SchemaCache(this),
	);

	for (const { ref, entries } of groups) {
		if (items.length === 1 && entries.length === 1) {
			const [{ payload, itemIndexes }] = entries;
			try {
				const record = await ninoxRequest<IDataObject>(this, {
					method: 'PUT',
					path: recordPath(ref.teamId, ref.databaseId, ref.tableId, payload.id),
					body: { fields: payload.fields },
					itemIndex: itemIndexes[0],
				});
				results.add(itemIndexes[0], record);
			} catch (error) {
				results.fail(itemIndexes[0], recordNotFound.call(this, error, ref, [payload.id], itemIndexes[0]));
			}
			continue;
		}
		await sendInBatches(this, entries, readBatchSize(options), results, async (payloads: UpdatePayload[], firstItemIndex: number) => {
			try {
				return await ninoxRequest<IDataObject[]>(this, {
					method: 'POST',
					path: recordsPath(ref),
					body: payloads,
					repeatable: true,
					itemIndex: firstItemIndex,
				});
			} catch (error) {
				throw recordNotFound.call(
					this,
					error,
					ref,
					payloads.map((payload) => payload.id),
					firstItemIndex,
				);
			}
		});
	}
	return results.all();
}
