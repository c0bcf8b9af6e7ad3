import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ninoxRequest, recordPath } from '../../transport';
import { optionsCollection, recordId, recordIdParameter } from '../common';
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
	outputOption,
	recordOutput,
	writeNotice,
} from './shared';

const options = optionsCollection([batchSizeOption, clearEmptyOption, ignoreUnwritableOption, outputOption]);

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
	options,
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
	const chosen = readWriteOptions.call(this, options);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable<UpdatePayload>(
		this,
		items.length,
		results,
		(_ref, itemIndex, fields) => ({
			id: recordId.call(this, itemIndex),
			fields: prepareItemFields.call(this, fields, items[itemIndex], itemIndex, chosen, 'name'),
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
				results.add(itemIndexes[0], await recordOutput(undefined, record, chosen));
			} catch (error) {
				results.fail(itemIndexes[0], recordNotFound.call(this, error, ref, [payload.id], itemIndexes[0]));
			}
			continue;
		}
		await sendInBatches(this, entries, readBatchSize(chosen), results, async (payloads: UpdatePayload[], firstItemIndex: number) => {
			try {
				const records = await ninoxRequest<IDataObject[]>(this, {
					method: 'POST',
					path: recordsPath(ref),
					body: payloads,
					repeatable: true,
					itemIndex: firstItemIndex,
				});
				return Array.isArray(records)
					? await Promise.all(records.map(async (record) => await recordOutput(undefined, record, chosen)))
					: records;
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
