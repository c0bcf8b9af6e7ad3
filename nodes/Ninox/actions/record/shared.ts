/** Parameters and helpers the record operations share: field input, filters, output, batched writes. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FieldWriteOptions, TableRef } from '../../helpers/fields';
import {
	fieldsByIds,
	FormulaFieldsNeeded,
	isMatchableField,
	tableRefKey,
	TableFields,
	toNinoxFields,
	toNinoxValue,
} from '../../helpers/fields';
import { itemParameter } from '../../helpers/parameters';
import { chunk, isInDoubt, tablePath } from '../../transport';
import { databaseLocator, readOptions, tableIds, tableLocator, teamLocator } from '../common';
import { asNodeError, errorItem } from '../errors';

/** Team, database and table: where the records live. */
export const tableParameters: INodeProperties[] = [teamLocator, databaseLocator, tableLocator];

export function readTableRef(this: IExecuteFunctions, itemIndex: number): TableRef {
	const [teamId, databaseId, tableId] = tableIds.call(this, itemIndex);
	return { teamId, databaseId, tableId };
}

export function recordsPath(ref: TableRef): string[] {
	return [...tablePath(ref.teamId, ref.databaseId, ref.tableId), 'records'];
}

/** Table schemas of one execution, read once per table (batched writes may address several tables). */
export class SchemaCache {
	private readonly tables = new Map<string, Promise<TableFields>>();

	constructor(private readonly context: IExecuteFunctions) {}

	get(ref: TableRef, itemIndex: number): Promise<TableFields> {
		const key = tableRefKey(ref);
		let fields = this.tables.get(key);
		if (!fields) {
			fields = TableFields.load(this.context, ref, itemIndex);
			this.tables.set(key, fields);
		}
		return fields;
	}
}

// ─── reads ──────────────────────────────────────────────────────────────────

const FIELD_OPTIONS_DEPEND_ON = ['team.value', 'database.value', 'table.value'];

export const filtersParameter: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	placeholder: 'Add Condition',
	typeOptions: { multipleValues: true },
	default: {},
	description: 'Only records whose fields equal these values. Several conditions must all match.',
	options: [
		{
			displayName: 'Conditions',
			name: 'conditions',
			values: [
				{
					displayName: 'Field Name or ID',
					name: 'field',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getMatchableFields', loadOptionsDependsOn: FIELD_OPTIONS_DEPEND_ON },
					default: '',
					description:
						'The field to compare. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description:
						'The value the field must equal. Choices by caption, yes/no as true or false, dates as 2024-05-31, references as a record ID.',
				},
			],
		},
	],
};

/**
 * The Filters parameter as Ninox wants it: `{"<field id>": value}`. The user picks fields by name; Ninox filters
 * by field id, so each name is looked up in the table schema and each value converted for the field's type.
 */
export async function readFilters(
	this: IExecuteFunctions,
	fields: TableFields,
	itemIndex: number,
	parameterName = 'filters',
): Promise<IDataObject> {
	const { conditions = [] } = this.getNodeParameter(parameterName, itemIndex, {}) as {
		conditions?: Array<{ field?: string; value?: unknown }>;
	};
	const filters: IDataObject = {};
	for (const [position, condition] of conditions.entries()) {
		const name = String(condition.field ?? '').trim();
		if (!name) {
			throw new NodeOperationError(this.getNode(), `Condition ${position + 1} has no field`, {
				itemIndex,
				description: 'Choose the field to compare, or remove the condition.',
			});
		}
		const field = fields.map.byFieldName(name) ?? fields.map.byFieldId(name);
		if (!field) {
			const close = fields.map.closeNames(name);
			throw new NodeOperationError(this.getNode(), `Unknown field "${name}" in the conditions (item ${itemIndex})`, {
				itemIndex,
				description: close.length
					? `Did you mean ${close.map((candidate) => `"${candidate}"`).join(' or ')}?`
					: `Table ${fields.label} has no field with this name.`,
			});
		}
		if (!isMatchableField(field)) {
			throw new NodeOperationError(this.getNode(), `Field "${field.name}" cannot be used in a condition`, {
				itemIndex,
				description: 'Ninox filters compare single values; choose a text, number, date, choice or reference field.',
			});
		}
		const value = condition.value;
		try {
			filters[field.id] = value === '' || value === null || value === undefined ? '' : toNinoxValue(field, value);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`Condition on "${field.name}" (item ${itemIndex}): ${(error as Error).message}`,
				{ itemIndex },
			);
		}
	}
	return filters;
}

export const choiceStyleOption: INodeProperties = {
	displayName: 'Choice Style',
	name: 'choiceStyle',
	type: 'options',
	options: [
		{ name: 'Captions', value: 'names', description: 'Choice fields show their captions, e.g. "Active"' },
		{ name: 'IDs', value: 'ids', description: 'Choice fields show their choice IDs, e.g. "1"' },
	],
	default: 'names',
	description: 'How choice and multiple-choice values appear in the output',
};

export const outputFieldIdsOption: INodeProperties = {
	displayName: 'Output Field IDs',
	name: 'outputFieldIds',
	type: 'boolean',
	default: false,
	description: 'Whether to key the record fields by field ID (e.g. "A") instead of by name',
};

export const outputOption: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{
			name: 'Raw',
			value: 'raw',
			description: 'As Ninox sends it: ID, sequence and timestamps, and the field values under "fields"',
		},
		{
			name: 'Simplified',
			value: 'simplified',
			description:
				'ID, sequence and timestamps, then one key per field: the Table view shows a column per field',
		},
	],
	default: 'simplified',
	description: 'The shape of each record in the output',
};

/** A record's own keys besides its fields (Ninox's record shape). */
export const RECORD_KEYS = ['id', 'sequence', 'createdAt', 'createdBy', 'modifiedAt', 'modifiedBy'];

export interface RecordOutputOptions {
	output?: string;
	outputFieldIds?: boolean;
}

/**
 * `{id, sequence, …, fields: {Name: …}}` → `{id, sequence, …, Name: …}`. A field named like one of the record's own
 * keys (e.g. a field "id") is output as "id (field)", so that nothing is lost.
 */
export function simplifyRecord(record: IDataObject): IDataObject {
	const { fields, ...own } = record;
	if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return record;
	// Usually no field is named like one of the record's own keys: one copy, far cheaper than adding them one by one.
	if (!Object.keys(fields).some((name) => name in own)) return Object.assign(own, fields);
	const simple: IDataObject = { ...own };
	for (const [name, value] of Object.entries(fields as IDataObject)) simple[name in own ? `${name} (field)` : name] = value;
	return simple;
}

/** A record as the options ask for it: its fields keyed by id (Output Field IDs) and in the chosen shape. */
export async function recordOutput(
	fields: TableFields | undefined,
	record: IDataObject,
	options: RecordOutputOptions = {},
): Promise<IDataObject> {
	if (!record || typeof record !== 'object') return record;
	const keyed =
		options.outputFieldIds && fields && typeof record.fields === 'object' && record.fields !== null
			? { ...record, fields: await fieldsByIds(fields, record.fields as IDataObject) }
			: record;
	return options.output === 'raw' ? keyed : simplifyRecord(keyed);
}

/** Ninox's 404 for a record, turned into an error naming the record and the table. */
export function recordNotFound(
	this: IExecuteFunctions,
	error: unknown,
	ref: TableRef,
	recordIds: number[],
	itemIndex: number,
): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '404') return error;
	const listed = recordIds.length > 5 ? `${recordIds.slice(0, 5).join(', ')}, …` : recordIds.join(', ');
	const which = recordIds.length === 1 ? `Record ${recordIds[0]}` : `One of the records ${listed}`;
	const message = `${which} not found in table ${ref.tableId}`;
	return new NodeApiError(this.getNode(), { message, httpCode: '404' } as JsonObject, {
		message,
		description: 'The record does not exist (any more): check the record ID and the table.',
		httpCode: '404',
		itemIndex,
	});
}

// ─── writes: field input ─────────────────────────────────────────────────────

export const fieldsInputParameter: INodeProperties = {
	displayName: 'Fields Input',
	name: 'fieldsInput',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Field Mapping',
			value: 'mapping',
			description: 'Map the table fields in the editor, or automatically from the input item',
		},
		{
			name: 'JSON',
			value: 'json',
			description: 'A JSON object of field names and values, e.g. {"First Name": "Jane"}',
		},
	],
	default: 'mapping',
};

export function columnsParameter(mode: 'add' | 'map'): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: FIELD_OPTIONS_DEPEND_ON,
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode,
				valuesLabel: 'Fields',
				fieldWords: { singular: 'field', plural: 'fields' },
				// Fields start removed: a field is written only once the user adds it (n8n would otherwise pre-set
				// every yes/no field to false and send it).
				addAllFields: false,
				noFieldsError: 'No fields to map: see the note below',
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		displayOptions: { show: { fieldsInput: ['mapping'] } },
	};
}

export const fieldsJsonParameter: INodeProperties = {
	displayName: 'Fields (JSON)',
	name: 'fieldsJson',
	type: 'json',
	default: '{}',
	placeholder: '{"First Name": "Jane", "Score": 3}',
	description: 'An object of field names and values. null empties a field.',
	displayOptions: { show: { fieldsInput: ['json'] } },
};

export const writeNotice: INodeProperties = {
	displayName: 'Add the fields to write: fields you leave out keep their value (and stay empty in a new record)',
	name: 'writeNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { fieldsInput: ['mapping'] } },
};

export const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1000,
	description:
		"How many records go into one request. 1000 (Ninox's largest page) keeps the number of API calls low, which counts against Ninox's limits; lower it if a request takes too long.",
};

export const clearEmptyOption: INodeProperties = {
	displayName: 'Clear Empty Fields',
	name: 'clearEmpty',
	type: 'boolean',
	default: false,
	description:
		'Whether empty values (empty text or null) from the field mapping empty the field in Ninox. By default they are not sent, so the field keeps its value. (In JSON input, null always empties a field.)',
};

export const ignoreUnwritableOption: INodeProperties = {
	displayName: 'Ignore Unknown and Read-Only Fields',
	name: 'ignoreUnwritable',
	type: 'boolean',
	default: false,
	description:
		'Whether to leave out input keys that are not writable fields of the table (handy with Map Automatically) instead of failing the item',
};

export interface WriteOptionValues extends RecordOutputOptions {
	batchSize?: number;
	clearEmpty?: boolean;
	ignoreUnwritable?: boolean;
}

/** A batched write's Options: read once, from the first item. */
export function readWriteOptions(this: IExecuteFunctions, collection: INodeProperties): WriteOptionValues {
	return readOptions<WriteOptionValues>(this, 0, collection);
}

const JSON_FIELDS_HINT = 'Enter an object of field names and values, e.g. {"First Name": "Jane", "Score": 3}';

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One item's field values by name, and whether its empty values are meant to empty fields.
 * Map Automatically takes the input item itself; an item that is a Ninox record (`{id, …, fields}`) gives its
 * `fields`, so records read from one table can be written to another as they are.
 * The values may be the input item's own object: read them, never change them.
 */
export function readItemFields(
	this: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	clearEmptyOption: boolean,
): { values: IDataObject; clearEmpty: boolean; autoMapped?: boolean } {
	const input = itemParameter(this, 'fieldsInput', itemIndex, 'mapping') as string;
	if (input === 'json') return { values: readFieldsJson.call(this, itemIndex), clearEmpty: true };
	const mode = itemParameter(this, 'columns.mappingMode', itemIndex, 'defineBelow') as string;
	if (mode === 'autoMapInputData') {
		const json = item.json ?? {};
		const values = isPlainObject(json.fields) && json.id !== undefined ? json.fields : json;
		return { values, clearEmpty: clearEmptyOption, autoMapped: true };
	}
	return { values: readMappedFields.call(this, itemIndex), clearEmpty: clearEmptyOption };
}

/** The Fields (JSON) parameter of one item: an object, or an error naming the item. */
export function readFieldsJson(this: IExecuteFunctions, itemIndex: number, hint = JSON_FIELDS_HINT): IDataObject {
	const raw = itemParameter(this, 'fieldsJson', itemIndex, '{}');
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parsed = raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`The Fields (JSON) of item ${itemIndex} is not valid JSON: ${(error as Error).message}`,
				{ itemIndex, description: hint },
			);
		}
	}
	if (!isPlainObject(parsed)) {
		throw new NodeOperationError(this.getNode(), `The Fields (JSON) of item ${itemIndex} is not a JSON object`, {
			itemIndex,
			description: hint,
		});
	}
	return parsed;
}

/** The mapper's values of one item (Define Below), without the fields the user removed from the mapper. */
export function readMappedFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const values = (itemParameter(this, 'columns.value', itemIndex, {}) as IDataObject | null) ?? {};
	const removed = removedMapperFields(itemParameter(this, 'columns.schema', itemIndex, []));
	return removed.length ? withoutKeys(values, removed) : values;
}

/** Per mapper schema (one object per execution, see itemParameter): the ids of its removed fields. */
const removedBySchema = new WeakMap<object, string[]>();

/**
 * Fields the mapper shows as removed: n8n's editor still stores a value for some of them (false for a yes/no
 * field it hides), which the user never entered.
 */
function removedMapperFields(schema: unknown): string[] {
	if (!Array.isArray(schema)) return [];
	let removed = removedBySchema.get(schema);
	if (!removed) {
		removed = (schema as Array<{ id?: unknown; removed?: unknown }>)
			.filter((field) => field?.removed === true && typeof field.id === 'string')
			.map((field) => field.id as string);
		removedBySchema.set(schema, removed);
	}
	return removed;
}

/** A copy without `keys` (the values themselves when there are none to leave out). */
export function withoutKeys(values: IDataObject, keys: string[]): IDataObject {
	if (keys.length === 0) return values;
	const rest = { ...values };
	for (const key of keys) delete rest[key];
	return rest;
}

const AUTO_MAP_SKIPPED = [...RECORD_KEYS, 'action'];

/** Reads and checks one item's fields for a write; errors name the item and the field. */
export function prepareItemFields(
	this: IExecuteFunctions,
	fields: TableFields,
	item: INodeExecutionData,
	itemIndex: number,
	options: WriteOptionValues,
	keyBy: FieldWriteOptions['keyBy'],
): IDataObject {
	const { values, clearEmpty, autoMapped } = readItemFields.call(this, item, itemIndex, options.clearEmpty ?? false);
	// An input item that is a record carries its id, sequence and timestamps (and Create or Update's "action") next
	// to the fields: those are not fields, unless the table has fields so named.
	const own = autoMapped ? AUTO_MAP_SKIPPED.filter((key) => key in values && !fields.map.byFieldName(key)) : [];
	const input = own.length ? withoutKeys(values, own) : values;
	return toNinoxFields(this, fields, input, itemIndex, {
		keyBy,
		clearEmpty,
		ignoreUnwritable: options.ignoreUnwritable ?? false,
	});
}

// ─── writes: batches ────────────────────────────────────────────────────────

/** One record to write, and the input items its answer belongs to (usually one). */
export interface WriteEntry<T> {
	itemIndexes: number[];
	payload: T;
}

export interface TableGroup<T> {
	ref: TableRef;
	/** The table's fields, when the grouping read them. */
	fields?: TableFields;
	entries: Array<WriteEntry<T>>;
}

/**
 * Reads every item into a payload for the table it names (the table may differ per item, by expression), grouped
 * so that each table gets its own batches. With `schemas`, a table's fields are read at its first item and handed
 * to `readPayload`. `readPayload` is synchronous, since this loop runs once per item of a batched write; the
 * formula fields are read only when an item names a field the table schema lacks. An item that cannot be read
 * fails alone; the others go on.
 */
export async function groupByTable<T>(
	context: IExecuteFunctions,
	itemCount: number,
	results: ItemResults,
	readPayload: (ref: TableRef, itemIndex: number) => T,
): Promise<Array<TableGroup<T>>>;
export async function groupByTable<T>(
	context: IExecuteFunctions,
	itemCount: number,
	results: ItemResults,
	readPayload: (ref: TableRef, itemIndex: number, fields: TableFields) => T,
	schemas: SchemaCache,
): Promise<Array<TableGroup<T>>>;
export async function groupByTable<T>(
	context: IExecuteFunctions,
	itemCount: number,
	results: ItemResults,
	readPayload: (ref: TableRef, itemIndex: number, fields: TableFields) => T,
	schemas?: SchemaCache,
): Promise<Array<TableGroup<T>>> {
	const groups = new Map<string, TableGroup<T>>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const ref = readTableRef.call(context, itemIndex);
			const key = tableRefKey(ref);
			let group = groups.get(key);
			if (!group) {
				const fields = schemas && (await schemas.get(ref, itemIndex));
				group = { ref, fields, entries: [] };
				groups.set(key, group);
			}
			const fields = group.fields as TableFields;
			let payload: T;
			try {
				payload = readPayload(ref, itemIndex, fields);
			} catch (error) {
				if (!(error instanceof FormulaFieldsNeeded)) {
					results.fail(itemIndex, error);
					continue;
				}
				await error.fields.allFields();
				payload = readPayload(ref, itemIndex, fields);
			}
			group.entries.push({ itemIndexes: [itemIndex], payload });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}
	return [...groups.values()];
}

/** What a batched operation builds up: every input item's output items, in input order. */
export class ItemResults {
	private readonly perItem: INodeExecutionData[][];

	constructor(
		private readonly context: IExecuteFunctions,
		itemCount: number,
	) {
		this.perItem = Array.from({ length: itemCount }, () => []);
	}

	add(itemIndex: number, json: IDataObject): void {
		this.perItem[itemIndex].push({ json, pairedItem: { item: itemIndex } });
	}

	/** Under continueOnFail the item's outputs become one error item; otherwise the error stops the node. */
	fail(itemIndex: number, error: unknown, extra: IDataObject = {}): void {
		if (!this.context.continueOnFail()) throw asNodeError(this.context, error, itemIndex);
		this.perItem[itemIndex] = [errorItem(error, itemIndex, extra)];
	}

	all(): INodeExecutionData[] {
		return this.perItem.flat();
	}
}

/**
 * Sends entries in batches (one request each) and hands every answer to the items it belongs to. A failed batch
 * fails exactly its items; one Ninox may have applied (`isInDoubt`) is marked so and never sent again.
 * Without continueOnFail the error stops the node, saying which items were written before it.
 */
export async function sendInBatches<T>(
	context: IExecuteFunctions,
	entries: Array<WriteEntry<T>>,
	batchSize: number,
	results: ItemResults,
	send: (payloads: T[], firstItemIndex: number) => Promise<unknown>,
): Promise<void> {
	const written: number[] = [];
	for (const batch of chunk(entries, batchSize)) {
		const itemIndexes = [...new Set(batch.flatMap((entry) => entry.itemIndexes))];
		let answers: IDataObject[];
		try {
			const answer = await send(
				batch.map((entry) => entry.payload),
				itemIndexes[0],
			);
			answers = (Array.isArray(answer) ? answer : [answer]) as IDataObject[];
			if (answers.length !== batch.length) {
				throw new NodeOperationError(
					context.getNode(),
					`Ninox answered ${answers.length} records for a batch of ${batch.length}`,
					{ itemIndex: itemIndexes[0], description: 'Check the table in Ninox before running the node again.' },
				);
			}
		} catch (error) {
			const inDoubt = isInDoubt(error);
			if (!context.continueOnFail()) {
				if (written.length && error instanceof Object && 'description' in error) {
					const described = error as { description?: string | null };
					described.description = `${described.description ?? ''} Items ${formatRanges(written)} were written before this batch failed.`.trim();
				}
				throw asNodeError(context, error, itemIndexes[0]);
			}
			for (const itemIndex of itemIndexes) results.fail(itemIndex, error, inDoubt ? { inDoubt: true } : {});
			continue;
		}
		batch.forEach((entry, position) => {
			for (const itemIndex of entry.itemIndexes) results.add(itemIndex, answers[position]);
		});
		written.push(...itemIndexes);
	}
}

/** 0, 1, 2, 5 → "0–2, 5" */
function formatRanges(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const ranges: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		ranges.push(start === end ? `${sorted[start]}` : `${sorted[start]}–${sorted[end]}`);
		start = end + 1;
	}
	return ranges.join(', ');
}

export function readBatchSize(options: WriteOptionValues): number {
	const size = Math.floor(Number(options.batchSize ?? 1000));
	return Number.isFinite(size) && size >= 1 ? size : 1000;
}
