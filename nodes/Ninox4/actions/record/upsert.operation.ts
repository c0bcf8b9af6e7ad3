import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../../../Ninox/helpers/parameters';
import type { TableSchema } from '../../helpers/schema';
import { SchemaCache } from '../../helpers/schema';
import { unknownFieldError } from '../../helpers/values';
import { ninox4Request, tablePath } from '../../transport';
import { CREATED_IDS_IN_INPUT_ORDER, UPSERT_AMBIGUOUS_STATUS, UPSERT_SEGMENTS } from '../../transport/facts';
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
	{
		displayName: 'Match Field Name or ID',
		name: 'matchField',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUniqueFields', loadOptionsDependsOn: ['module.value', 'table.value'] },
		default: '',
		required: true,
		description:
			'A unique field: a record with the same value is updated, otherwise one is created. Every item must have a value for it. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	writeNotice,
	fieldsInputParameter,
	columnsParameter('map'),
	fieldsJsonParameter,
	optionsCollection([batchSizeOption('A batch whose answer was lost is never sent again.'), ignoreUnwritableOption, outputOption]),
];

interface UpsertEntry {
	values: IDataObject;
	match: unknown;
}

function readMatchField(this: IExecuteFunctions, schema: TableSchema, itemIndex: number): string {
	const name = String(itemParameter(this, 'matchField', itemIndex, '') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'No Match Field chosen', {
			itemIndex,
			description: 'Choose the unique field whose value identifies a record.',
		});
	}
	const field = schema.field(name);
	if (!field) throw unknownFieldError(this.getNode(), schema, name, itemIndex);
	// Reads promise only name and type: a field is refused only when it says it is not unique.
	if (field.unique === false) {
		throw new NodeOperationError(this.getNode(), `The match field "${name}" is not unique`, {
			itemIndex,
			description: `Ninox 4 matches records by a unique field only: make "${name}" unique (Field → Update) or choose another.`,
		});
	}
	return name;
}

/**
 * `POST …/{t}/records/upsert` `{matchField, records}` (*ext.*) per batch: a record whose match value exists is
 * updated, the others created. Ninox 4 answers only the created and updated ids, so an item gets its id when the
 * whole batch was created or updated (ids in input order, *obs.*). A 409 (a value matching several records) fails
 * the batch; the item with that value says so, the others that they were held back with it.
 */
export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readWriteOptions.call(this);
	const results = new ItemResults(this, items.length);
	const matchFields = new Map<TableSchema, string>();
	const groups = await groupByTable<UpsertEntry>(
		this,
		items.length,
		results,
		(itemIndex, schema) => {
			let matchField = matchFields.get(schema!);
			if (matchField === undefined) matchFields.set(schema!, (matchField = readMatchField.call(this, schema!, itemIndex)));
			const values = prepareValues.call(this, schema!, items[itemIndex], itemIndex, options);
			const match = values[matchField];
			if (match === undefined || match === null || match === '') {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has no value for the match field "${matchField}"`, {
					itemIndex,
					description: 'Every item needs a value in the match field, so that Ninox 4 can find its record.',
				});
			}
			return { values, match };
		},
		new SchemaCache(this),
	);
	for (const { ref, schema, entries } of groups) {
		const matchField = matchFields.get(schema!)!;
		await sendBatches(this, entries, { maxCount: batchCount(options), transactional: false }, results, async (batch, itemIndexes) => {
			let answer: { createdIds?: unknown[]; updatedIds?: unknown[] };
			try {
				answer = await ninox4Request(this, {
					method: 'POST',
					path: [...tablePath(ref.moduleName, ref.tableName), ...UPSERT_SEGMENTS],
					body: { matchField, records: batch.map((entry) => entry.values) },
					itemIndex: itemIndexes[0],
				});
			} catch (error) {
				throw ambiguousMatch.call(this, error, matchField, batch, itemIndexes);
			}
			const created = Array.isArray(answer.createdIds) ? answer.createdIds : [];
			const updated = Array.isArray(answer.updatedIds) ? answer.updatedIds : [];
			const [action, ids] =
				created.length === batch.length && updated.length === 0
					? ['created', created]
					: updated.length === batch.length && created.length === 0
						? ['updated', updated]
						: ['created or updated', undefined];
			return batch.map(({ values, match }, position) =>
				recordOutput(
					{
						...(ids && CREATED_IDS_IN_INPUT_ORDER ? { id: String(ids[position]) } : {}),
						action,
						matchField,
						matchValue: match as IDataObject[string],
					},
					values,
					options.output,
				),
			);
		});
	}
	return results.all();
}

/** A 409 as the items see it: which value matched several records, and which item had it. */
function ambiguousMatch(
	this: IExecuteFunctions,
	error: unknown,
	matchField: string,
	batch: UpsertEntry[],
	itemIndexes: number[],
): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== String(UPSERT_AMBIGUOUS_STATUS)) return error;
	const serverText = `${error.message} ${error.description ?? ''}`;
	const culprit = batch.findIndex(({ match }) => serverText.includes(String(match)));
	const named = culprit >= 0 ? `"${String(batch[culprit].match)}" (item ${itemIndexes[culprit]})` : undefined;
	const message = named
		? `The ${matchField} value ${named} matches more than one record (409)`
		: `A ${matchField} value of items ${[...new Set(itemIndexes)].join(', ')} matches more than one record (409)`;
	return new NodeApiError(this.getNode(), { message, httpCode: '409' } as JsonObject, {
		message,
		description: `Ninox 4 refused the whole batch: make the values of "${matchField}" unique in the table (or in the input), then run again. Its answer: ${error.message}`,
		httpCode: '409',
		itemIndex: culprit >= 0 ? itemIndexes[culprit] : itemIndexes[0],
	});
}
