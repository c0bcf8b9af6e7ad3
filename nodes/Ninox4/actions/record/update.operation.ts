import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { SchemaCache } from '../../helpers/schema';
import { ninox4Request, recordsPath } from '../../transport';
import { groupByTable, ItemResults, sendBatches } from '../batch';
import { recordId, recordIdParameter, tableParameters } from '../common';
import {
	batchCount,
	batchSizeOption,
	columnsParameter,
	fieldsInputParameter,
	fieldsJsonParameter,
	ignoreUnwritableOption,
	outputOption,
	prepareValues,
	readWriteOptions,
	recordOutput,
	writeNotice,
} from './shared';
import { optionsCollection } from '../../../Ninox/actions/common';

export const description: INodeProperties[] = [
	...tableParameters,
	{ ...recordIdParameter, description: 'The record to update, usually an expression such as {{ $json.id }}' },
	writeNotice,
	fieldsInputParameter,
	columnsParameter('map'),
	fieldsJsonParameter,
	optionsCollection([
		batchSizeOption('Ninox 4 applies a batch whole or not at all: one bad record fails its batch.'),
		ignoreUnwritableOption,
		outputOption,
	]),
];

/**
 * `PATCH …/{t}/records` `{records: [{id, …values}]}` per batch: only the fields sent change. Ninox 4 applies a
 * batch whole or not at all, so a record that fails (a missing ID, a bad value) fails the items of its batch, each
 * error naming the cause; the other batches go on.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(
		this,
		items.length,
		results,
		(itemIndex, schema) => ({
			id: recordId.call(this, itemIndex),
			values: prepareValues.call(this, schema!, items[itemIndex], itemIndex, options),
		}),
		new SchemaCache(this),
	);
	for (const { ref, entries } of groups) {
		await sendBatches(this, entries, { maxCount: batchCount(options), transactional: true }, results, async (updates, itemIndexes) => {
			await ninox4Request<IDataObject>(this, {
				method: 'PATCH',
				path: recordsPath(ref.moduleName, ref.tableName),
				// Ids are integers on write; the record's own keys are its field names.
				body: { records: updates.map(({ id, values }) => Object.assign({}, values, { id })) },
				itemIndex: itemIndexes[0],
			});
			// Not from `updatedIds`, which may under-report (obs.): the batch was applied whole.
			return updates.map(({ id, values }) => recordOutput({ id: String(id) }, values, options.output));
		});
	}
	return results.all();
}
