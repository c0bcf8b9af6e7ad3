/** The Fields mapper of Create / Update / Create or Update: the table's fields with n8n types, computed ones read-only. */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import type { Ninox4Field } from '../helpers/schema';
import { isMatchableField, isReadOnlyField, optionNames, TableSchema } from '../helpers/schema';
import { selectedTable } from './selected';

/** Ninox 4 field types → n8n's mapper types; every other type is text (passed through as written). */
const N8N_TYPES: Record<string, FieldType> = {
	number: 'number',
	boolean: 'boolean',
	date: 'dateTime',
	timestamp: 'dateTime',
	time: 'time',
	choice: 'options',
	multi: 'array',
	reference: 'number',
};

function toColumn(field: Ninox4Field): ResourceMapperField {
	const readOnly = isReadOnlyField(field);
	const type = readOnly ? 'string' : (N8N_TYPES[field.type] ?? 'string');
	const labels = (field.labels ?? {}) as Record<string, unknown>;
	const label = String(labels[''] ?? '');
	return {
		id: field.name,
		displayName: label && label !== field.name ? `${label} (${field.name})` : field.name,
		required: field.required === true && !readOnly,
		defaultMatch: false,
		canBeUsedToMatch: isMatchableField(field),
		display: true,
		type,
		// Choices are written by name; multiple choices as a list of names ("Gold, Silver" or an array).
		...(type === 'options' ? { options: optionNames(field).map((name) => ({ name, value: name })) } : {}),
		// Computed fields are shown but cannot be mapped, and are never sent.
		...(readOnly ? { readOnly: true } : {}),
	};
}

export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const ref = selectedTable(this);
	if (!ref) return { fields: [], emptyFieldsNotice: 'Choose a module and a table first' };
	const { fields } = await TableSchema.load(this, ref);
	return { fields: fields.map(toColumn), emptyFieldsNotice: 'This table has no fields' };
}
