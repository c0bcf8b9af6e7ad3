/** Parameters of field definitions: a field's name, label, type and the settings that go with its type. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Ninox4Option } from '../../helpers/schema';
import { checkName } from '../common';
import { booleanOption, labelOption, rolesOption, schemaBody } from '../shared';

const FIELD_TYPES: Array<[string, string, string]> = [
	['Appointment', 'appointment', 'A time span, e.g. a meeting'],
	['Choice', 'choice', 'One of a list of options'],
	['Color', 'color', 'A color such as #ffcc00'],
	['Date', 'date', 'A calendar day'],
	['Dynamic Choice', 'dchoice', 'One record chosen by an expression'],
	['Dynamic Multiple Choice', 'dmulti', 'Records chosen by an expression'],
	['File', 'file', 'A file'],
	['Function', 'function', 'Computed by an expression (read-only)'],
	['Icon', 'icon', 'An icon'],
	['Multiple Choice', 'multi', 'Several of a list of options'],
	['Number', 'number', 'A number'],
	['Reference', 'reference', 'A link to a record of another table of the module'],
	['Reverse Reference', 'reverse', 'The records of another table that link here (read-only)'],
	['Text', 'string', 'Text (see Variant: email, phone, URL, …)'],
	['Time', 'time', 'A time of day'],
	['Time Interval', 'timeinterval', 'A duration'],
	['Timestamp', 'timestamp', 'A date and time'],
	['User', 'user', 'A user of the workspace'],
	['Yes / No', 'boolean', 'A yes/no value'],
];

const choicesParameter = (displayOptions?: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Choices',
	name: 'choices',
	type: 'string',
	default: '',
	placeholder: 'Gold, Silver, Bronze',
	description: 'The options, separated by commas (or a JSON array of {"name": …} objects). On an update, options of the same name keep their IDs.',
	...(displayOptions ? { displayOptions } : {}),
});

const expressionParameter = (displayOptions?: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Expression',
	name: 'expression',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	placeholder: 'first_name + " " + last_name',
	description: 'The Ninox script that computes a function field, or selects the records of a dynamic choice',
	...(displayOptions ? { displayOptions } : {}),
});

const settings: INodeProperties[] = [
	booleanOption('Index', 'index', 'Whether Ninox 4 indexes the field'),
	{ displayName: 'Option Color (Expression)', name: 'optionHueExpression', type: 'string', default: '', description: 'Dynamic choices: the expression for the color of an option' },
	{ displayName: 'Option Icon (Expression)', name: 'optionIcon', type: 'string', default: '', description: 'Dynamic choices: the expression for an option\'s icon' },
	{ displayName: 'Option Name (Expression)', name: 'optionName', type: 'string', default: '', description: 'Dynamic choices: the expression for an option\'s name' },
	rolesOption('Read Roles', 'readRoles', ['admin', 'user'], 'Who may read the field'),
	booleanOption('Required', 'required', 'Whether the field must have a value'),
	booleanOption('Search', 'search', 'Whether the field is searchable'),
	booleanOption('Unique', 'unique', 'Whether no two records may have the same value (a Create or Update match field must be unique)'),
	rolesOption('Write Roles', 'writeRoles', ['admin', 'user'], 'Who may change the field'),
];

/** The definition of a new field (Create; Create Many reads it per item). */
export const fieldDefinition: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'first_name',
		description: "The field's name: 1–100 lowercase letters, digits and _. Records are keyed by it.",
	},
	{ ...labelOption('field'), required: true, description: "The field's label in the app (Ninox 4 requires one)" },
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: FIELD_TYPES.map(([name, value, description]) => ({ name, value, description })),
		default: 'string',
		description: 'Cannot be changed later: to change it, delete the field and create it again',
	},
	{
		displayName: 'Variant',
		name: 'variant',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Location', value: 'location' },
			{ name: 'Multiline Text', value: 'multiline-text' },
			{ name: 'Phone', value: 'phone' },
			{ name: 'Signature', value: 'signature' },
			{ name: 'Text', value: 'text' },
			{ name: 'URL', value: 'url' },
		],
		default: 'text',
		displayOptions: { show: { type: ['string'] } },
		description: 'What kind of text',
	},
	{
		displayName: 'Reference Table',
		name: 'refTableName',
		type: 'string',
		default: '',
		placeholder: 'companies',
		description: 'The name of the table it links to, in the same module',
		displayOptions: { show: { type: ['reference', 'reverse'] } },
	},
	choicesParameter({ show: { type: ['choice', 'multi'] } }),
	expressionParameter({ show: { type: ['function', 'dchoice', 'dmulti'] } }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: settings,
	},
];

export const fieldUpdateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Type, variant and reference table cannot be changed: delete the field and create it again',
	options: [
		choicesParameter(),
		expressionParameter(),
		labelOption('field'),
		{
			displayName: 'New Name',
			name: 'name',
			type: 'string',
			default: '',
			description: 'Renames the field: 1–100 lowercase letters, digits and _. Workflows and scripts that use the old name stop working.',
		},
		...settings,
	],
};

/** Choices as Ninox 4 options: names separated by commas, or a JSON array of option objects (or names). */
export function parseChoices(this: IExecuteFunctions, raw: unknown, itemIndex: number): Ninox4Option[] {
	if (Array.isArray(raw)) return raw.map((entry) => toOption.call(this, entry, itemIndex));
	const text = String(raw ?? '').trim();
	if (text.startsWith('[')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `The Choices of item ${itemIndex} are not valid JSON: ${(error as Error).message}`, {
				itemIndex,
				description: 'Enter names separated by commas, or a JSON array such as [{"name": "Gold"}, {"name": "Silver"}].',
			});
		}
		return parseChoices.call(this, parsed, itemIndex);
	}
	return text
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '')
		.map((name) => ({ name }));
}

function toOption(this: IExecuteFunctions, entry: unknown, itemIndex: number): Ninox4Option {
	if (typeof entry === 'string' && entry.trim() !== '') return { name: entry.trim() };
	if (entry && typeof entry === 'object' && typeof (entry as IDataObject).name === 'string') return entry as Ninox4Option;
	throw new NodeOperationError(this.getNode(), `A choice of item ${itemIndex} has no name: ${JSON.stringify(entry)}`, {
		itemIndex,
		description: 'Each choice needs a name, e.g. {"name": "Gold"}.',
	});
}

/** Builds a field body from the definition parameters of one item. */
export function fieldBody(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const type = this.getNodeParameter('type', itemIndex) as string;
	const values: IDataObject = {
		type,
		...(type === 'string' ? { variant: this.getNodeParameter('variant', itemIndex, 'text') } : {}),
		...(['reference', 'reverse'].includes(type) ? { refTableName: referenceTable.call(this, itemIndex) } : {}),
		...(['choice', 'multi'].includes(type)
			? { options: parseChoices.call(this, this.getNodeParameter('choices', itemIndex, ''), itemIndex) }
			: {}),
		...(['function', 'dchoice', 'dmulti'].includes(type)
			? { [type === 'function' ? 'expression' : 'options']: this.getNodeParameter('expression', itemIndex, '') }
			: {}),
		...renameKey(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, 'optionHueExpression', 'optionColor'),
	};
	return schemaBody.call(this, 'field', itemIndex, values, {
		name: this.getNodeParameter('name', itemIndex) as string,
		label: this.getNodeParameter('label', itemIndex, '') as string,
	});
}

/** The settings with one key renamed (a parameter whose name must differ from the body's key). */
export function renameKey(values: IDataObject, from: string, to: string): IDataObject {
	if (!(from in values)) return values;
	const { [from]: value, ...rest } = values;
	return { ...rest, [to]: value };
}

/** A reference's table (checked here, not by the editor: with Type set by expression it cannot know it is needed). */
function referenceTable(this: IExecuteFunctions, itemIndex: number): string {
	const name = String(this.getNodeParameter('refTableName', itemIndex, '') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), `The reference field of item ${itemIndex} needs a Reference Table`, {
			itemIndex,
			description: 'Enter the name of the table of the same module it links to.',
		});
	}
	return checkName.call(this, name, 'table', itemIndex);
}
