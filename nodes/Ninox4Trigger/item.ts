import type { IDataObject } from 'n8n-workflow';

import type { TableRef } from '../Ninox4/helpers/schema';
import type { RecordChange } from './changes';

/**
 * The item a change becomes: `{event, module, table, id, changedAt, values}`, the values by field name as Ninox 4
 * reads them (null when the record was deleted before it could be read); a deleted record has its ids only.
 * `id` and `values` go into the Ninox 4 node as they are (Record ID `{{ $json.id }}`, Fields (JSON) `{{ $json.values }}`).
 */
export function changeItem(ref: TableRef, change: RecordChange, values: Map<string, IDataObject | null>): IDataObject {
	const item: IDataObject = {
		event: change.event,
		module: ref.moduleName,
		table: ref.tableName,
		id: change.id,
		changedAt: change.changedAt,
	};
	if (change.event !== 'deleted') item.values = values.get(change.id) ?? null;
	return item;
}
