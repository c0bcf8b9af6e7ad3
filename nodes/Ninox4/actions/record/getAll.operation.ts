import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { SchemaCache } from '../../helpers/schema';
import type { QueryValue } from '../../../shared/transport';
import { ninox4List, recordsPath } from '../../transport';
import { limitParameter, readLimit, readTableRef, returnAllParameter, tableParameters } from '../common';
import { fieldsOption, fieldsQuery, filterParameter, outputOption, readFilter, readRecordOutput, sortFieldOption } from './shared';
import { optionsCollection } from '../../../Ninox/actions/common';

export const description: INodeProperties[] = [
	...tableParameters,
	{ ...returnAllParameter, hint: 'Ninox 4 sends at most 100 records per request; this node reads on to the end' },
	limitParameter,
	filterParameter,
	optionsCollection([
		fieldsOption,
		outputOption,
		sortFieldOption,
	]),
];

interface ListOptions {
	output?: string;
	fields?: string[] | string;
	sortField?: string;
}

/**
 * `GET …/{t}/records?offset=&limit=100` until `has_more` is false, or exactly Limit records. A record another
 * write moved across a page boundary while paging is listed once.
 */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ref = readTableRef.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as ListOptions;
	const { conditions } = this.getNodeParameter('filter', itemIndex, {}) as { conditions?: unknown[] };
	// The fields are read only to check and convert the filter's values.
	const filter = conditions?.length
		? readFilter.call(this, await new SchemaCache(this).get(ref, itemIndex), itemIndex)
		: undefined;
	const sortField = options.sortField?.trim();
	const query: Record<string, QueryValue> = {
		filter: filter ? JSON.stringify(filter) : undefined,
		sort: sortField || undefined,
		fields: fieldsQuery(options.fields),
	};
	const records = await ninox4List<IDataObject>(
		this,
		{ path: recordsPath(ref.moduleName, ref.tableName), query, itemIndex },
		readLimit.call(this, itemIndex),
	);
	const seen = new Set<unknown>();
	return records
		.filter((record) => !seen.has(record.id) && seen.add(record.id))
		.map((record) => readRecordOutput(record, options.output));
}
