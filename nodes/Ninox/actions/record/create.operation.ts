import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { optionsCollection } from '../common';
import {
	batchSizeOption,
	columnsParameter,
	fieldsInputParameter,
	fieldsJsonParameter,
	ignoreUnwritableOption,
	groupByTable,
	ItemResults,
	prepareItemFields,
	readBatchSize,
	readWriteOptions,
	recordsPath,
	SchemaCache,
	sendInBatches,
	tableParameters,
	outputOption,
	recordOutput,
	writeNotice,
} from './shared';

const options = optionsCollection([
	{
		...batchSizeOption,
		description: `${batchSizeOption.description} A create that fails in a way Ninox may have applied is never sent again.`,
	},
	ignoreUnwritableOption,
	outputOption,
]);

export const description: INodeProperties[] = [
	...tableParameters,
	writeNotice,
	fieldsInputParameter,
	columnsParameter('add'),
	fieldsJsonParameter,
	options,
];

/**
 * All items become `POST …/records` requests of up to Batch Size records each (`[{"fields": {…}}, …]`, names).
 * Every item is checked before anything is sent. A create carries no ids, so it is not repeatable: the transport
 * never resends it, and a batch that may have been applied is reported as in doubt.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const chosen = readWriteOptions.call(this, options);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(
		this,
		items.length,
		results,
		(_ref, itemIndex, fields) => ({
			fields: prepareItemFields.call(this, fields, items[itemIndex], itemIndex, chosen, 'name'),
		}),
		new SchemaCache(this),
	);

	for (const { ref, entries } of groups) {
		await sendInBatches(this, entries, readBatchSize(chosen), results, async (payloads, firstItemIndex) => {
			const records = await ninoxRequest<IDataObject[]>(this, {
				method: 'POST',
				path: recordsPath(ref),
				body: payloads,
				repeatable: false,
				itemIndex: firstItemIndex,
			});
			return Array.isArray(records) ? await Promise.all(records.map(async (record) => await recordOutput(undefined, record, chosen))) : records;
		});
	}
	return results.all();
}
