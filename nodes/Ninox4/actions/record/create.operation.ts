import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SchemaCache } from '../../helpers/schema';
import { ninox4Request, recordsPath } from '../../transport';
import { CREATED_IDS_IN_INPUT_ORDER } from '../../transport/facts';
import { groupByTable, ItemResults, sendBatches } from '../batch';
import { tableParameters } from '../common';
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
	writeNotice,
	fieldsInputParameter,
	columnsParameter('add'),
	fieldsJsonParameter,
	optionsCollection([batchSizeOption('A create that may have been applied is never sent again.'), ignoreUnwritableOption, outputOption]),
];

/**
 * All items as `POST …/{t}/records` `{records: [...]}`, as few requests as the 6 MB body limit allows. The
 * created ids come back in the order sent, so each goes to its item. A create carries no ids: it is never
 * resent, and a batch whose answer was lost is reported as in doubt.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(
		this,
		items.length,
		results,
		(itemIndex, schema) => prepareValues.call(this, schema!, items[itemIndex], itemIndex, options),
		new SchemaCache(this),
	);
	for (const { ref, entries } of groups) {
		await sendBatches(this, entries, { maxCount: batchCount(options), transactional: false }, results, async (records, itemIndexes) => {
			const { ids } = await ninox4Request<{ ids?: unknown[] }>(this, {
				method: 'POST',
				path: recordsPath(ref.moduleName, ref.tableName),
				body: { records },
				itemIndex: itemIndexes[0],
			});
			if (!CREATED_IDS_IN_INPUT_ORDER || !Array.isArray(ids) || ids.length !== records.length) {
				throw new NodeOperationError(
					this.getNode(),
					`Ninox 4 created ${Array.isArray(ids) ? ids.length : 'an unknown number of'} records for a batch of ${records.length}`,
					{ itemIndex: itemIndexes[0], description: 'Which item became which record is unknown: check the table in Ninox 4.' },
				);
			}
			return records.map((values, position) => recordOutput({ id: String(ids[position]) }, values, options.output));
		});
	}
	return results.all();
}
