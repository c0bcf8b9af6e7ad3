/** Parameters and readers shared by many operations: the module / table / field locators, record IDs, limits. */
import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idFromLocator } from '../../Ninox/actions/common';
import { itemParameter } from '../../Ninox/helpers/parameters';
import type { TableRef } from '../helpers/schema';
import { parseRecordIdText } from '../helpers/values';
import { MODULE_URL, TABLE_URL } from '../transport/facts';

export { limitParameter, readLimit, returnAllParameter } from '../../Ninox/actions/common';

/** Ninox 4 names: the ids of modules, tables and fields. */
export const NAME_PATTERN = '^[a-z0-9_]{1,100}$';
const NAME = new RegExp(NAME_PATTERN);
const nameValidation = (what: string) => [
	{
		type: 'regex' as const,
		properties: { regex: NAME_PATTERN, errorMessage: `A ${what} name is 1–100 lowercase letters, digits and _` },
	},
];

export const moduleLocator: INodeProperties = {
	displayName: 'Module',
	name: 'module',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Ninox 4 module (an app of the workspace)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchModules', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'crm',
			validation: nameValidation('module'),
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://go.ninox.com/{organization}/{workspace}/crm/contacts',
			validation: [{ type: 'regex', properties: { regex: MODULE_URL + '.*', errorMessage: 'Not a Ninox 4 module URL' } }],
			extractValue: { type: 'regex', regex: MODULE_URL },
		},
	],
};

export const tableLocator: INodeProperties = {
	displayName: 'Table',
	name: 'table',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The table of the module',
	typeOptions: { loadOptionsDependsOn: ['module.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTables', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'contacts',
			validation: nameValidation('table'),
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://go.ninox.com/{organization}/{workspace}/crm/contacts',
			validation: [{ type: 'regex', properties: { regex: TABLE_URL + '.*', errorMessage: 'Not a Ninox 4 table URL' } }],
			extractValue: { type: 'regex', regex: TABLE_URL },
		},
	],
};

export const fieldLocator: INodeProperties = {
	displayName: 'Field',
	name: 'field',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The field of the table',
	typeOptions: { loadOptionsDependsOn: ['module.value', 'table.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchFields', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'email',
			validation: nameValidation('field'),
		},
	],
};

/** A locator's name for one item; an error if empty or not a Ninox 4 name. */
export function locatorName(this: IExecuteFunctions, parameter: 'module' | 'table' | 'field', itemIndex: number): string {
	const value = itemParameter(this, parameter, itemIndex, '', { extractValue: true });
	return checkName.call(this, idFromLocator(this, parameter, value, itemIndex), parameter, itemIndex);
}

/** A module, table or field name as Ninox 4 takes it: 1–100 of a–z, 0–9 and _. */
export function checkName(this: { getNode(): INode }, name: string, what: string, itemIndex?: number): string {
	if (!NAME.test(name)) {
		throw new NodeOperationError(this.getNode(), `"${name}" is not a Ninox 4 ${what} name`, {
			itemIndex,
			description: `Ninox 4 names are 1–100 lowercase letters, digits and _ (e.g. ${what === 'module' ? 'crm' : what === 'table' ? 'contacts' : 'first_name'}); the label shown in the app may differ.`,
		});
	}
	return name;
}

export function moduleName(this: IExecuteFunctions, itemIndex: number): string {
	return locatorName.call(this, 'module', itemIndex);
}

export function readTableRef(this: IExecuteFunctions, itemIndex: number): TableRef {
	return { moduleName: moduleName.call(this, itemIndex), tableName: locatorName.call(this, 'table', itemIndex) };
}

export const moduleParameters: INodeProperties[] = [moduleLocator];
export const tableParameters: INodeProperties[] = [moduleLocator, tableLocator];
export const fieldParameters: INodeProperties[] = [moduleLocator, tableLocator, fieldLocator];

export const recordIdParameter: INodeProperties = {
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '42',
	description: 'The record ID, a whole number from 1 (usually mapped from the input item)',
};

export function parseRecordId(this: IExecuteFunctions, raw: unknown, itemIndex: number, what = 'Record ID'): number {
	const id = parseRecordIdText(raw);
	if (id === undefined) {
		const text = String(raw ?? '').trim();
		throw new NodeOperationError(this.getNode(), text === '' ? `${what} is empty` : `${what} "${text}" is not a record ID`, {
			itemIndex,
			description: 'A Ninox 4 record ID is a whole number from 1, e.g. 42.',
		});
	}
	return id;
}

export function recordId(this: IExecuteFunctions, itemIndex: number): number {
	return parseRecordId.call(this, itemParameter(this, 'recordId', itemIndex), itemIndex);
}

/** Labels as Ninox 4 keeps them: `{"": default, locale: text}`; a plain label is the default one. */
export function labelsOf(label: string): { '': string } {
	return { '': label };
}

/** An ID Ninox 4 gave (a view or report): any non-empty text. */
export function requiredId(this: IExecuteFunctions, raw: unknown, what: string, itemIndex: number): string {
	const id = String(raw ?? '').trim();
	if (!id) throw new NodeOperationError(this.getNode(), `${what} is empty`, { itemIndex, description: `Enter the ${what}.` });
	return id;
}
