import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
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
	writeNotice,
} from './shared';

export const description: INodeProperties[] = [
	...tableParameters,
	writeNotice,
	fieldsInputParameter,
	columnsParameter('add'),
	fieldsJsonParameter,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				...batchSizeOption,
				description: `${batchSizeOption.description} A create that fails in a way Ninox may have applied is never sent again.`,
			},
			ignoreUnwritableOption,
		],
	},
];

/**
 * All items become `POST …/records` requests of up to Batch Size records each (`[{"fields": {…}}, …]`, names).
 * Every item is checked before anything is sent. A create carries no ids, so it is not repeatable: the transport
 * never resends it, and a batch that may have been applied is reported as in doubt.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(
		this,
		items.length,
		results,
		(_ref, itemIndex, fields) => ({
			fields: prepareItemFields.call(this, fields, items[itemIndex], itemIndex, options, 'name'),
		}),
		new SchemaCache(this),
	);

	for (const { ref, entries } of groups) {
		await sendInBatches(this, entries, readBatchSize(options), results, async (payloads, firstItemIndex) =>
			await ninoxRequest<IDataObject[]>(this, {
				method: 'POST',
				path: recordsPath(ref),
				body: payloads,
				repeatable: false,
				itemIndex: firstItemIndex,
			}),
		);
	}
	return results.all();
}
