import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../Ninox/actions/common';
import { ninox4Request, recordsPath } from '../../transport';
import type { WriteEntry } from '../batch';
import { groupByTable, ItemResults, sendBatches } from '../batch';
import { batchCount, batchSizeOption, readWriteOptions } from './shared';

export const recordsDeleteOptions: INodeProperties = optionsCollection([
	batchSizeOption('Ninox 4 deletes a batch whole or not at all: one missing record fails its batch.'),
]);

/**
 * Deletes the records the items name (one or several each): `DELETE …/{t}/records` `{records: [ids]}` per batch,
 * ids as integers. A batch is all or nothing (one missing record keeps all), and a delete is not idempotent, so
 * it is never resent after an answer was lost.
 */
export async function deleteRecords(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	idsOf: (itemIndex: number) => number[],
): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable(this, items.length, results, idsOf);
	for (const { ref, entries } of groups) {
		const perRecord: Array<WriteEntry<number>> = entries.flatMap(({ itemIndex, payload }) =>
			payload.map((id) => ({ itemIndex, payload: id })),
		);
		await sendBatches(this, perRecord, { maxCount: batchCount(options), transactional: true }, results, async (ids, itemIndexes) => {
			await ninox4Request<IDataObject>(this, {
				method: 'DELETE',
				path: recordsPath(ref.moduleName, ref.tableName),
				body: { records: ids },
				itemIndex: itemIndexes[0],
			});
			return ids.map((id): IDataObject => ({ id: String(id), deleted: true }));
		});
	}
	return results.all();
}
