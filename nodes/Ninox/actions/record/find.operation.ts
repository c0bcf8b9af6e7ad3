import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TableFields } from '../../helpers/fields';
import { ninoxRequest, ninoxRequestAllPages, tablePath } from '../../transport';
import { limitParameter, optionsCollection, readLimit, readOptions, returnAllParameter } from '../common';
import { asNodeError } from '../errors';
import type { RecordOutputOptions } from './shared';
import {
	choiceStyleOption,
	filtersParameter,
	outputFieldIdsOption,
	outputOption,
	readFilters,
	readTableRef,
	recordOutput,
	recordsPath,
	tableParameters,
} from './shared';

const options = optionsCollection([choiceStyleOption, outputOption, outputFieldIdsOption]);

export const description: INodeProperties[] = [
	...tableParameters,
	{
		displayName: 'Find',
		name: 'findMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'All Matches',
				value: 'all',
				description: 'Every record with these values',
			},
			{
				name: 'First Match',
				value: 'single',
				description: 'Only the first record with these values, even when several have them',
			},
		],
		default: 'single',
		hint: 'First Match returns one record; choose All Matches to get every record with these values'
	},
	{
		...filtersParameter,
		displayName: 'Fields to Match',
		required: true,
		description: 'The field values to look for. A record matches when every field equals its value.',
	},
	{ ...returnAllParameter, displayOptions: { show: { findMode: ['all'] } } },
	{ ...limitParameter, displayOptions: { show: { findMode: ['all'], returnAll: [false] } } },
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		options: [
			{ name: 'Error', value: 'error', description: 'Stop (or, with Continue On Fail, output an error item)' },
			{ name: 'Return Empty Item', value: 'emptyItem', description: 'Output one empty item for the input item' },
			{ name: 'Return Nothing', value: 'nothing', description: 'Output no item for the input item' },
		],
		default: 'nothing',
		description: 'What to output when no record matches',
	},
	options,
];

export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ref = readTableRef.call(this, itemIndex);
	const mode = this.getNodeParameter('findMode', itemIndex, 'single') as string;
	const chosen = readOptions<RecordOutputOptions & { choiceStyle?: string }>(this, itemIndex, options);
	const choiceStyle = chosen.choiceStyle === 'ids' ? 'ids' : undefined;
	// Ninox filters by field id: the schema turns the chosen names into ids (and proves the table exists).
	const fields = await TableFields.load(this, ref, itemIndex);
	const filters = await readFilters.call(this, fields, itemIndex);
	if (Object.keys(filters).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No fields to match', {
			itemIndex,
			description: 'Add at least one field and the value it must have.',
		});
	}

	let records: IDataObject[];
	if (mode === 'all') {
		const found = await ninoxRequestAllPages<IDataObject>(
			this,
			{ path: recordsPath(ref), query: { filters: JSON.stringify(filters), choiceStyle }, itemIndex },
			readLimit.call(this, itemIndex),
		);
		records = found;
	} else {
		try {
			const found = await ninoxRequest<IDataObject | IDataObject[]>(this, {
				method: 'POST',
				path: [...tablePath(ref.teamId, ref.databaseId, ref.tableId), 'record'],
				query: { choiceStyle, style: chosen.outputFieldIds ? 'ids' : undefined },
				body: { filters },
				// A lookup changes nothing, so it may be sent again.
				repeatable: true,
				itemIndex,
			});
			records = (Array.isArray(found) ? found : [found]).filter((record) => record && typeof record === 'object');
		} catch (error) {
			// The table schema was just read, so a 404 here means no record matched.
			if (!(error instanceof NodeApiError && error.httpCode === '404')) throw asNodeError(this, error, itemIndex);
			records = [];
		}
	}
	if (records.length) {
		// The first match comes keyed by id already (style=ids).
		const keyed = mode === 'all' ? chosen : { output: chosen.output };
		return await Promise.all(records.map(async (record) => await recordOutput(fields, record, keyed)));
	}

	const ifNotFound = this.getNodeParameter('ifNotFound', itemIndex, 'nothing') as string;
	if (ifNotFound === 'emptyItem') return [{}];
	if (ifNotFound === 'error') {
		throw new NodeOperationError(this.getNode(), `No record in table ${fields.label} matches ${JSON.stringify(describeFilters(fields, filters))}`, {
			itemIndex,
			description: 'Check the values, or set "If Not Found" to return nothing or an empty item.',
		});
	}
	return [];
}

/** Filters by field id → by name, for messages. */
function describeFilters(fields: TableFields, filters: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(filters).map(([id, value]) => [fields.map.nameOf(id), value]));
}
