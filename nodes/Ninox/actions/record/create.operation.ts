import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { TableRef } from '../../helpers/fields';
import { tableRefKey } from '../../helpers/fields';
import { ninoxRequest } from '../../transport';
import type { WriteEntry } from './shared';
import {
	batchSizeOption,
	columnsParameter,
	fieldsInputParameter,
	fieldsJsonParameter,
	ignoreUnwritableOption,
	ItemResults,
	prepareItemFields,
	readBatchSize,
	readTableRef,
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
	const schemas = new SchemaCache(this);
	const results = new ItemResults(this, items.length);
	const groups = new Map<string, { ref: TableRef; entries: Array<WriteEntry<IDataObject>> }>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const ref = readTableRef.call(this, itemIndex);
			const fields = await schemas.get(ref, itemIndex);
			const payload = { fields: await prepareItemFields.call(this, fields, items[itemIndex], itemIndex, options, 'name') };
			const key = tableRefKey(ref);
			if (!groups.has(key)) groups.set(key, { ref, entries: [] });
			groups.get(key)!.entries.push({ itemIndexes: [itemIndex], payload });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}

	for (const { ref, entries } of groups.values()) {
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
