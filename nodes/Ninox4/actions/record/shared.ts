/** Parameters and readers the record operations share: field input, options, filters, record output. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	columnsParameter as classicColumnsParameter,
	ignoreUnwritableOption,
	isPlainObject,
	readFieldsJson,
	readMappedFields,
	withoutKeys,
} from '../../../Ninox/actions/record/shared';
import { itemParameter } from '../../../Ninox/helpers/parameters';
import type { TableSchema } from '../../helpers/schema';
import { isMatchableField } from '../../helpers/schema';
import { toNinox4Value, toNinox4Values, unknownFieldError } from '../../helpers/values';
import { FILTER_ON_ID_SUPPORTED } from '../../transport/facts';

const DEPENDS_ON = ['module.value', 'table.value'];

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
		{ name: 'JSON', value: 'json', description: 'A JSON object of field names and values, e.g. {"email": "jane@example.com"}' },
	],
	default: 'mapping',
};

/** The classic mapper parameter (fields start removed, only added ones are written), on the module and table. */
export function columnsParameter(mode: 'add' | 'map'): INodeProperties {
	const columns = classicColumnsParameter(mode);
	return { ...columns, typeOptions: { ...columns.typeOptions, loadOptionsDependsOn: DEPENDS_ON } };
}

export const fieldsJsonParameter: INodeProperties = {
	displayName: 'Fields (JSON)',
	name: 'fieldsJson',
	type: 'json',
	default: '{}',
	placeholder: '{"email": "jane@example.com", "score": 3}',
	description: 'An object of field names and values. null empties a field.',
	displayOptions: { show: { fieldsInput: ['json'] } },
};

export const writeNotice: INodeProperties = {
	displayName:
		'Only the fields you fill in or map are sent. Computed fields (function, reverse reference) are read-only, and every field is checked against the table before anything is sent.',
	name: 'writeNotice',
	type: 'notice',
	default: '',
};

export function batchSizeOption(what: string): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: `The most records in one request. 0: as many as fit in Ninox 4's 6 MB limit, the fewest API calls. ${what}`,
	};
}

export { ignoreUnwritableOption };

export interface WriteOptions {
	batchSize?: number;
	ignoreUnwritable?: boolean;
	output?: string;
}

export const outputOption: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{ name: 'Raw', value: 'raw', description: 'As Ninox 4 sends it: the ID, and the field values under "values"' },
		{
			name: 'Simplified',
			value: 'simplified',
			description: 'The ID, then one key per field: the Table view shows a column per field',
		},
	],
	default: 'simplified',
	description: 'The shape of each record in the output',
};

/**
 * A record for the output: Raw keeps `values`; Simplified puts each field beside the record's own keys (`id`,
 * and e.g. `action`). A field named like one of those stays under `values`, so that nothing is overwritten.
 */
export function recordOutput(own: IDataObject, values: IDataObject, output: string | undefined): IDataObject {
	if (output === 'raw') return { ...own, values };
	// Usually nothing clashes: one copy, far cheaper than adding the fields one by one.
	if (!Object.keys(values).some((name) => name in own)) return Object.assign({}, own, values);
	const clashing: IDataObject = {};
	const simplified: IDataObject = { ...own };
	for (const [name, value] of Object.entries(values)) {
		if (name in own) clashing[name] = value;
		else simplified[name] = value;
	}
	return Object.keys(clashing).length ? { ...simplified, values: clashing } : simplified;
}

/** A record as Ninox 4 answers it (`{id, values}`), shaped for the output. */
export function readRecordOutput(record: IDataObject, output: string | undefined): IDataObject {
	const { values, ...own } = record;
	return recordOutput(own, isPlainObject(values) ? values : {}, output);
}

export function readWriteOptions(this: IExecuteFunctions): WriteOptions {
	return this.getNodeParameter('options', 0, {}) as WriteOptions;
}

/** The Batch Size as a count; 0 (the default) leaves the cut to the body size alone. */
export function batchCount(options: WriteOptions): number {
	const size = Math.floor(Number(options.batchSize ?? 0));
	return Number.isFinite(size) && size >= 1 ? size : Number.MAX_SAFE_INTEGER;
}

const JSON_HINT = 'Enter an object of field names and values, e.g. {"email": "jane@example.com", "score": 3}';

/**
 * One item's values by field name. In the field mapping only what the user filled in or mapped is sent (an empty
 * mapper entry is no change); in JSON input `null` empties a field. Map Automatically takes the input item; one
 * that is a Ninox 4 record (`{id, values}`) gives its `values`. The values may be the item's own object: read
 * them, never change them.
 */
export function readItemValues(
	this: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
): { values: IDataObject; autoMapped?: boolean } {
	if (itemParameter(this, 'fieldsInput', itemIndex, 'mapping') === 'json') {
		return { values: readFieldsJson.call(this, itemIndex, JSON_HINT) };
	}
	if (itemParameter(this, 'columns.mappingMode', itemIndex, 'defineBelow') === 'autoMapInputData') {
		const json = item.json ?? {};
		// A Raw record gives its values (and those of a Simplified one that clashed with its own keys).
		const values = isPlainObject(json.values) && json.id !== undefined ? { ...withoutKeys(json, ['values']), ...json.values } : json;
		return { values, autoMapped: true };
	}
	const filled: IDataObject = {};
	for (const [name, value] of Object.entries(readMappedFields.call(this, itemIndex))) {
		if (value !== null && value !== undefined && value !== '') filled[name] = value;
	}
	return { values: filled };
}

/** Reads and checks one item's values for a write; errors name the item and the field. */
export function prepareValues(
	this: IExecuteFunctions,
	schema: TableSchema,
	item: INodeExecutionData,
	itemIndex: number,
	options: WriteOptions,
): IDataObject {
	const { values, autoMapped } = readItemValues.call(this, item, itemIndex);
	// An auto-mapped item read from Ninox 4 carries the record's own keys beside its fields: they are not fields
	// (unless the table has fields of those names).
	const leaveOut = autoMapped ? OWN_KEYS.filter((key) => key in values && !schema.field(key)) : [];
	return toNinox4Values(this, schema, values, itemIndex, {
		leaveOut,
		ignoreUnwritable: options.ignoreUnwritable ?? false,
		// A record read from Ninox 4 carries its computed fields: mapped automatically, they are left out.
		skipReadOnly: autoMapped ?? false,
	});
}

/** The keys this node's record outputs add beside the fields. */
const OWN_KEYS = ['id', 'action', 'matchField', 'matchValue'];

// ─── reads ──────────────────────────────────────────────────────────────────

const fieldChoice = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getMatchableFields', loadOptionsDependsOn: DEPENDS_ON },
	default: '',
	description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
});

export const filterParameter: INodeProperties = {
	displayName: 'Filter',
	name: 'filter',
	type: 'fixedCollection',
	placeholder: 'Add Condition',
	typeOptions: { multipleValues: true },
	default: {},
	description: 'Only records whose fields equal these values',
	options: [
		{
			displayName: 'Conditions',
			name: 'conditions',
			values: [
				fieldChoice('Field Name or ID', 'field', 'The field to compare'),
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description: 'The value the field must equal: choices by name, yes/no as true or false, dates as 2024-05-31',
				},
			],
		},
	],
};

export const sortFieldOption = fieldChoice('Sort Field Name or ID', 'sortField', 'The field to sort by, in ascending order');

export const fieldsOption: INodeProperties = {
	displayName: 'Field Names or IDs',
	name: 'fields',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: DEPENDS_ON },
	default: [],
	description:
		'Only these fields in the output (all when none is chosen). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** The Fields option as Ninox 4 takes it: names separated by commas; undefined for all fields. */
export function fieldsQuery(fields: unknown): string | undefined {
	const names = (Array.isArray(fields) ? fields : String(fields ?? '').split(','))
		.map((name) => String(name).trim())
		.filter((name) => name !== '');
	return names.length ? names.join(',') : undefined;
}

/** The Filter as Ninox 4's `filter`: a JSON object of field names and values (equality, all must hold). */
export function readFilter(this: IExecuteFunctions, schema: TableSchema, itemIndex: number): IDataObject {
	const { conditions = [] } = this.getNodeParameter('filter', itemIndex, {}) as {
		conditions?: Array<{ field?: string; value?: unknown }>;
	};
	const filter: IDataObject = {};
	for (const [position, condition] of conditions.entries()) {
		const name = String(condition.field ?? '').trim();
		if (!name) {
			throw new NodeOperationError(this.getNode(), `Condition ${position + 1} has no field`, {
				itemIndex,
				description: 'Choose the field to compare, or remove the condition.',
			});
		}
		const field = schema.field(name);
		if (!field) {
			if (name === 'id' && !FILTER_ON_ID_SUPPORTED) {
				throw new NodeOperationError(this.getNode(), 'Ninox 4 cannot filter records by ID', {
					itemIndex,
					description: 'Use Record → Get to read one record by its ID.',
				});
			}
			throw unknownFieldError(this.getNode(), schema, name, itemIndex);
		}
		if (!isMatchableField(field)) {
			throw new NodeOperationError(this.getNode(), `Field "${name}" cannot be used in a condition`, {
				itemIndex,
				description: 'Ninox 4 filters compare one stored value; choose a text, number, date, choice or reference field.',
			});
		}
		try {
			const value = condition.value;
			filter[name] = value === '' || value === null || value === undefined ? null : toNinox4Value(field, value);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Condition on "${name}" (item ${itemIndex}): ${(error as Error).message}`, {
				itemIndex,
			});
		}
	}
	return filter;
}
