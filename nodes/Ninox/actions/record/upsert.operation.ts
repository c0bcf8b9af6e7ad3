import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TableFields, TableRef } from '../../helpers/fields';
import { fieldsByNames, isEmptyValue, isMatchableField } from '../../helpers/fields';
import { itemParameter } from '../../helpers/parameters';
import type { NinoxField } from '../../helpers/schema';
import { MAX_PAGE_SIZE, ninoxRequest, ninoxRequestAllPages } from '../../transport';
import { optionsCollection, recordId, recordIdParameter } from '../common';
import type { WriteEntry, WriteOptionValues } from './shared';
import {
	batchSizeOption,
	clearEmptyOption,
	columnsParameter,
	fieldsInputParameter,
	fieldsJsonParameter,
	ignoreUnwritableOption,
	groupByTable,
	ItemResults,
	outputFieldIdsOption,
	outputOption,
	prepareItemFields,
	readBatchSize,
	readWriteOptions,
	recordOutput,
	recordsPath,
	SchemaCache,
	sendInBatches,
	tableParameters,
	writeNotice,
} from './shared';

/**
 * With a large table (more than one page) and at most this many distinct match values, existing records are
 * looked up with one filtered request per value; with more values, by reading the whole table page by page.
 */
export const FILTER_LOOKUP_MAX_VALUES = 20;

const options = optionsCollection([
	batchSizeOption,
	clearEmptyOption,
	ignoreUnwritableOption,
	{
		displayName: 'If Several Records Match',
		name: 'onDuplicates',
		type: 'options',
		options: [
			{
				name: 'Error',
				value: 'error',
				description: 'Fail the item and name the records that share the value',
			},
			{ name: 'Update All', value: 'updateAll', description: 'Update every record with the value' },
		],
		default: 'error',
		description: 'What to do when the match value belongs to more than one record (Match By Field Value)',
	},
	outputOption,
	outputFieldIdsOption,
]);

export const description: INodeProperties[] = [
	...tableParameters,
	{
		displayName: 'Match By',
		name: 'upsertBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Field Value',
				value: 'field',
				description:
					"Find the record whose match field has the item's value: update it if it exists, create it otherwise",
			},
			{
				name: 'Record ID',
				value: 'id',
				description: "Update the record with this ID, or create it with exactly this ID (Ninox's upsert)",
			},
		],
		default: 'id',
	},
	{
		...recordIdParameter,
		description: 'The record to update or create, usually an expression such as {{ $json.id }}',
		displayOptions: { show: { upsertBy: ['id'] } },
	},
	{
		displayName: 'Match Field Name or ID',
		name: 'matchField',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getMatchableFields',
			loadOptionsDependsOn: ['team.value', 'database.value', 'table.value'],
		},
		default: '',
		required: true,
		description:
			'The field whose value identifies a record, e.g. an email or customer number. Its value comes from the fields below. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { upsertBy: ['field'] } },
	},
	writeNotice,
	fieldsInputParameter,
	columnsParameter('map'),
	fieldsJsonParameter,
	options,
];

interface UpsertOptions extends WriteOptionValues {
	onDuplicates?: 'error' | 'updateAll';
}

export async function executeAll(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const upsertBy = this.getNodeParameter('upsertBy', 0, 'id') as string;
	return upsertBy === 'field' ? await upsertByField.call(this, items) : await upsertById.call(this, items);
}

// ─── by record id ────────────────────────────────────────────────────────────

/**
 * Ninox's upsert: `POST …/records` with `[{"_upsert": true, "_id": 43, "<field id>": value}]`. Keys are field ids,
 * so names are converted with the table schema, and the answer (by id) back to names. Id-keyed: repeatable.
 */
async function upsertById(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const chosen = readWriteOptions.call(this, options) as UpsertOptions;
	const results = new ItemResults(this, items.length);
	const groups = await groupByTable<IDataObject>(
		this,
		items.length,
		results,
		(_ref, itemIndex, fields) => ({
			_upsert: true,
			_id: recordId.call(this, itemIndex),
			...prepareItemFields.call(this, fields, items[itemIndex], itemIndex, chosen, 'id'),
		}),
		new SchemaCache(this),
	);

	for (const { ref, fields, entries } of groups) {
		await sendInBatches(this, entries, readBatchSize(chosen), results, async (payloads, firstItemIndex) => {
			const answers = await ninoxRequest<IDataObject[]>(this, {
				method: 'POST',
				path: recordsPath(ref),
				body: payloads,
				repeatable: true,
				itemIndex: firstItemIndex,
			});
			const list = Array.isArray(answers) ? answers : [answers];
			return await Promise.all(list.map(async (answer) => await upsertAnswerAsRecord(fields!, answer, chosen)));
		});
	}
	return results.all();
}

/**
 * `{_id, _cu, _cd, _mu, _md, "<field id>": …}` → the record shape of every other operation, and whether the record
 * was created: Ninox's answer shows it, a record just created was last changed when it was created.
 */
async function upsertAnswerAsRecord(fields: TableFields, answer: IDataObject, options: UpsertOptions): Promise<IDataObject> {
	const { _id, _cu, _cd, _mu, _md, ...values } = answer ?? {};
	const record = {
		id: _id,
		createdAt: _cd,
		createdBy: _cu,
		modifiedAt: _md,
		modifiedBy: _mu,
		fields: options.outputFieldIds ? values : await fieldsByNames(fields, values),
	};
	return withAction(await recordOutput(undefined, record, { output: options.output }), _cd !== undefined && _cd === _md);
}

/** Create or Update says per item what it did, in "action" (a field so named becomes "action (field)"). */
function withAction(record: IDataObject, created: boolean): IDataObject {
	const { action: field, ...rest } = record;
	return { action: created ? 'created' : 'updated', ...rest, ...(field === undefined ? {} : { 'action (field)': field }) };
}

// ─── by field value ──────────────────────────────────────────────────────────

interface FieldWrite extends IDataObject {
	id?: number;
	fields: IDataObject;
}

interface PreparedItem {
	field: NinoxField;
	values: IDataObject;
	key: string;
}

/** Match values compared as Ninox shows them: 5 and "5" are the same value. */
function matchKey(value: unknown): string {
	return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * Looks up the existing records of all match values at once, then writes everything in batches of
 * `POST …/records`: `{"id": n, "fields": …}` for values that exist, `{"fields": …}` for new ones. Items with the same
 * new value create one record (later items' fields win), so the table ends up as if they were applied in order.
 * A batch with creates is not repeatable; a batch of updates is.
 */
async function upsertByField(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const chosen = readWriteOptions.call(this, options) as UpsertOptions;
	const results = new ItemResults(this, items.length);
	const tables = await groupByTable<PreparedItem>(
		this,
		items.length,
		results,
		(_ref, itemIndex, fields) => {
			const field = readMatchField.call(this, fields, itemIndex);
			const values = prepareItemFields.call(this, fields, items[itemIndex], itemIndex, chosen, 'name');
			const value = values[field.name];
			if (isEmptyValue(value)) {
				throw new NodeOperationError(this.getNode(), `The match field "${field.name}" has no value in item ${itemIndex}`, {
					itemIndex,
					description: `Map a value to "${field.name}": it identifies the record to update or create.`,
				});
			}
			return { field, values, key: matchKey(value) };
		},
		new SchemaCache(this),
	);
	// The match field may differ per item (by expression): one lookup per table and match field.
	const groups = tables.flatMap(({ ref, fields, entries }) => {
		const byField = new Map<string, Array<WriteEntry<PreparedItem>>>();
		for (const entry of entries) {
			const sameField = byField.get(entry.payload.field.id);
			if (sameField) sameField.push(entry);
			else byField.set(entry.payload.field.id, [entry]);
		}
		return [...byField.values()].map((prepared) => ({ ref, fields: fields!, field: prepared[0].payload.field, prepared }));
	});

	for (const { ref, fields, field, prepared } of groups) {
		const wanted = new Map(prepared.map(({ payload }) => [payload.key, payload.values[field.name]]));
		let existing: Map<string, number[]>;
		try {
			existing = await findExisting.call(this, ref, field, wanted, prepared[0].itemIndexes[0]);
		} catch (error) {
			for (const { itemIndexes } of prepared) results.fail(itemIndexes[0], error);
			continue;
		}

		const writes: Array<WriteEntry<FieldWrite>> = [];
		const creates = new Map<string, WriteEntry<FieldWrite>>();
		for (const {
			itemIndexes: [itemIndex],
			payload: { values, key },
		} of prepared) {
			const ids = existing.get(key) ?? [];
			if (ids.length > 1 && chosen.onDuplicates !== 'updateAll') {
				results.fail(
					itemIndex,
					new NodeOperationError(
						this.getNode(),
						`${ids.length} records of table ${fields.label} have ${field.name} = ${JSON.stringify(values[field.name])} (item ${itemIndex})`,
						{
							itemIndex,
							description: `Records ${ids.join(', ')} share this value, so it does not identify one record. Remove the duplicates in Ninox, or set "If Several Records Match" to Update All.`,
						},
					),
				);
				continue;
			}
			if (ids.length) {
				for (const id of ids) writes.push({ itemIndexes: [itemIndex], payload: { id, fields: values } });
				continue;
			}
			const pending = creates.get(key);
			if (pending) {
				Object.assign(pending.payload.fields, values);
				pending.itemIndexes.push(itemIndex);
			} else {
				const create = { itemIndexes: [itemIndex], payload: { fields: { ...values } } };
				creates.set(key, create);
				writes.push(create);
			}
		}

		await sendInBatches(this, writes, readBatchSize(chosen), results, async (payloads: FieldWrite[], firstItemIndex: number) => {
			const records = await ninoxRequest<IDataObject[]>(this, {
				method: 'POST',
				path: recordsPath(ref),
				body: payloads,
				repeatable: payloads.every((payload) => payload.id !== undefined),
				itemIndex: firstItemIndex,
			});
			const list = Array.isArray(records) ? records : [records];
			return await Promise.all(
				list.map(async (record, position) =>
					withAction(await recordOutput(fields, record, chosen), payloads[position]?.id === undefined),
				),
			);
		});
	}
	return results.all();
}

function readMatchField(this: IExecuteFunctions, fields: TableFields, itemIndex: number): NinoxField {
	const name = String(itemParameter(this, 'matchField', itemIndex, '') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'No match field selected', {
			itemIndex,
			description: 'Choose the field whose value identifies a record, e.g. an email or customer number.',
		});
	}
	const field = fields.map.byFieldName(name) ?? fields.map.byFieldId(name);
	if (!field) {
		const close = fields.map.closeNames(name);
		throw new NodeOperationError(this.getNode(), `Unknown match field "${name}": table ${fields.label} has no such field`, {
			itemIndex,
			description: close.length ? `Did you mean ${close.map((candidate) => `"${candidate}"`).join(' or ')}?` : undefined,
		});
	}
	if (!isMatchableField(field)) {
		throw new NodeOperationError(this.getNode(), `Field "${field.name}" cannot identify a record`, {
			itemIndex,
			description: 'Choose a writable field with a single value: text, number, date, choice or reference.',
		});
	}
	return field;
}

interface ListedRecord {
	id: number;
	fields?: IDataObject;
}

/**
 * Record ids by match value, with as few requests as possible. The first page (1000 records) is read; if it is the
 * whole table, that is all. A larger table is searched with one `filters` request per value when there are few
 * values, or read to the end when there are many (⌈records / 1000⌉ requests).
 */
async function findExisting(
	this: IExecuteFunctions,
	ref: TableRef,
	field: NinoxField,
	wanted: Map<string, unknown>,
	itemIndex: number,
): Promise<Map<string, number[]>> {
	const path = recordsPath(ref);
	let records = await ninoxRequestAllPages<ListedRecord>(this, { path, itemIndex }, MAX_PAGE_SIZE);
	if (records.length >= MAX_PAGE_SIZE) {
		if (wanted.size <= FILTER_LOOKUP_MAX_VALUES) {
			records = [];
			for (const value of wanted.values()) {
				const query = { filters: JSON.stringify({ [field.id]: value }) };
				records.push(...(await ninoxRequestAllPages<ListedRecord>(this, { path, query, itemIndex })));
			}
		} else {
			// Page 0 is in hand already: read on from page 1.
			records.push(...(await ninoxRequestAllPages<ListedRecord>(this, { path, itemIndex }, undefined, 1)));
		}
	}
	const existing = new Map<string, number[]>();
	for (const record of records) {
		const value = record.fields?.[field.name];
		if (isEmptyValue(value)) continue;
		const key = matchKey(value);
		if (!wanted.has(key)) continue;
		const ids = existing.get(key) ?? [];
		if (!ids.includes(record.id)) ids.push(record.id);
		existing.set(key, ids);
	}
	return existing;
}
