/** The Fields mapper of Create / Update / Create or Update: the table's fields with n8n types, computed ones read-only. */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { loadedFields, loadFailureNotice } from '../../shared/notices';
import type { Ninox4Field } from '../helpers/schema';
import { isMatchableField, isReadOnlyField, optionNames, tableLabel, TableSchema } from '../helpers/schema';
import { selectedTable } from './selected';

/**
 * Ninox 4 field types → n8n's mapper types; every other type is text, passed through as written. Dates stay text
 * ("2024-05-31"): n8n's date picker would add a time. Multiple choices are text too ("VIP, Partner"): the
 * mapper has no multi-select, and its list type is a JSON editor.
 */
const N8N_TYPES: Record<string, FieldType> = {
	number: 'number',
	boolean: 'boolean',
	timestamp: 'dateTime',
	time: 'time',
	choice: 'options',
	reference: 'number',
};

/** Options listed in a label, at most this many. */
const LISTED_OPTIONS = 10;

/** What a field's label adds to its name, so that the input says what it takes. */
function labelHint(field: Ninox4Field): string {
	switch (field.type) {
		case 'date':
			return 'date, e.g. 2024-05-31';
		case 'multi': {
			const names = optionNames(field);
			return `any of: ${names.slice(0, LISTED_OPTIONS).join(', ')}${names.length > LISTED_OPTIONS ? ', …' : ''}; separate with commas`;
		}
		case 'reference':
			// Reads name the target by an internal id (`refTableId`), not by its name.
			return field.refTableName ? `record ID in table ${field.refTableName}` : 'record ID of the referenced table';
		default:
			return '';
	}
}

function toColumn(field: Ninox4Field): ResourceMapperField {
	const readOnly = isReadOnlyField(field);
	const type = readOnly ? 'string' : (N8N_TYPES[field.type] ?? 'string');
	const hint = readOnly ? field.type : labelHint(field);
	return {
		id: field.name,
		displayName: hint ? `${field.name} (${hint})` : field.name,
		required: field.required === true && !readOnly,
		defaultMatch: false,
		canBeUsedToMatch: isMatchableField(field),
		display: true,
		type,
		// Choices are written by name, exactly as Ninox 4 spells them.
		...(type === 'options' ? { options: optionNames(field).map((name) => ({ name, value: name })) } : {}),
		// Computed fields are shown but cannot be mapped, and are never sent.
		...(readOnly ? { readOnly: true } : {}),
		// Every field starts removed: only the fields the user adds are written (n8n would send false for every
		// yes/no field nobody touched).
		removed: true,
	};
}

/** The table's fields; when they cannot be read, the cause is the notice (n8n's editor drops a thrown error). */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const ref = selectedTable(this);
	// No notice yet: the editor would keep showing it after a table is chosen.
	if (!ref) return { fields: [] };
	let columns: ResourceMapperField[];
	try {
		columns = (await TableSchema.load(this, ref)).fields.map(toColumn);
	} catch (error) {
		return { fields: [], emptyFieldsNotice: loadFailureNotice(error, tableLabel(ref)) };
	}
	return loadedFields(columns, tableLabel(ref));
}
