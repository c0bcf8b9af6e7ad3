import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TableFields } from '../../helpers/fields';
import type { QueryValue } from '../../transport';
import { ninoxRequestAllPages } from '../../transport';
import { limitParameter, optionsCollection, readLimit, readOptions, returnAllParameter } from '../common';
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

const options = optionsCollection([
	choiceStyleOption,
	{
		displayName: 'Descending',
		name: 'descending',
		type: 'boolean',
		default: false,
		description: 'Whether to sort in descending order: by the Sort Field, or by record ID when none is set',
	},
	{
		displayName: 'Last Modified First',
		name: 'lastModifiedFirst',
		type: 'boolean',
		default: false,
		description: 'Whether to list the most recently changed records first',
	},
	{
		displayName: 'Newest First',
		name: 'newestFirst',
		type: 'boolean',
		default: false,
		description: 'Whether to list the most recently created records first',
	},
	outputFieldIdsOption,
	{
		displayName: 'Since Record ID',
		name: 'sinceId',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Only records with a higher ID: those created after that record',
	},
	{
		displayName: 'Since Sequence',
		name: 'sinceSq',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: "Only records changed after this sequence number (Ninox's database-wide change counter)",
	},
	{
		displayName: 'Sort Field Name or ID',
		name: 'sortField',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getMatchableFields',
			loadOptionsDependsOn: ['team.value', 'database.value', 'table.value'],
		},
		default: '',
		description:
			'The field to sort by (ascending unless Descending is on). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	outputOption,
]);

export const description: INodeProperties[] = [
	...tableParameters,
	returnAllParameter,
	limitParameter,
	filtersParameter,
	options,
];

interface ListOptions extends RecordOutputOptions {
	choiceStyle?: 'names' | 'ids';
	descending?: boolean;
	lastModifiedFirst?: boolean;
	newestFirst?: boolean;
	sinceId?: number;
	sinceSq?: number;
	sortField?: string;
}

/** `GET …/tables/{tid}/records`, paged (1000 per request) until the end or exactly Limit records. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ref = readTableRef.call(this, itemIndex);
	const chosen = readOptions<ListOptions>(this, itemIndex, options);
	const orders = [
		chosen.sortField ? 'Sort Field' : '',
		chosen.newestFirst ? 'Newest First' : '',
		chosen.lastModifiedFirst ? 'Last Modified First' : '',
	].filter(Boolean);
	if (orders.length > 1) {
		throw new NodeOperationError(this.getNode(), `Choose one sort order, not ${orders.join(' and ')}`, {
			itemIndex,
			description: 'Ninox sorts a list by one thing: a field, creation or last change.',
		});
	}

	// The schema is needed only to turn field names into ids (filters, Output Field IDs).
	const { conditions } = this.getNodeParameter('filters', itemIndex, {}) as { conditions?: unknown[] };
	const fields =
		conditions?.length || chosen.outputFieldIds ? await TableFields.load(this, ref, itemIndex) : undefined;
	const filters = fields && conditions?.length ? await readFilters.call(this, fields, itemIndex) : undefined;

	const query: Record<string, QueryValue> = {
		choiceStyle: chosen.choiceStyle === 'ids' ? 'ids' : undefined,
		order: chosen.sortField || undefined,
		desc: chosen.descending ? 'true' : undefined,
		new: chosen.newestFirst ? 'true' : undefined,
		updated: chosen.lastModifiedFirst ? 'true' : undefined,
		sinceId: chosen.sinceId ? chosen.sinceId : undefined,
		sinceSq: chosen.sinceSq ? chosen.sinceSq : undefined,
		filters: filters ? JSON.stringify(filters) : undefined,
	};
	const records = await ninoxRequestAllPages<IDataObject>(
		this,
		{ path: recordsPath(ref), query, itemIndex },
		readLimit.call(this, itemIndex),
	);
	return await Promise.all(records.map(async (record) => await recordOutput(fields, record, chosen)));
}
