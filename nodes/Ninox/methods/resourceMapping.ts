/** The Fields mapper of Create / Update / Upsert: the table's fields with n8n types, read-only ones marked. */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { currentTableRef, formulaFieldsOf, isMatchableField, isReadOnlyField } from '../helpers/fields';
import type { NinoxField } from '../helpers/schema';
import { getDatabaseSchema, getTable } from '../helpers/schema';

/** Ninox field types → n8n's mapper types; every other type is text. */
const N8N_TYPES: Record<string, FieldType> = {
	number: 'number',
	boolean: 'boolean',
	date: 'dateTime',
	datetime: 'dateTime',
	time: 'time',
	choice: 'options',
	multi: 'array',
	ref: 'number',
	rev: 'array',
};

function toColumn(field: NinoxField): ResourceMapperField {
	const readOnly = isReadOnlyField(field);
	const type = N8N_TYPES[field.type] ?? 'string';
	return {
		id: field.name,
		displayName: field.name,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: isMatchableField(field),
		display: true,
		type,
		// Choices are written by caption, which is also what Ninox shows in records.
		...(type === 'options' ? { options: (field.choices ?? []).map((choice) => ({ name: choice.caption, value: choice.caption })) } : {}),
		// Formula and reverse-reference fields are shown but cannot be mapped: Ninox computes them.
		...(readOnly ? { readOnly: true, removed: true } : {}),
	};
}

export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const ref = currentTableRef(this);
	if (!ref) return { fields: [], emptyFieldsNotice: 'Choose a team, database and table first' };
	// One request at a time: Ninox limits parallel calls.
	const table = await getTable(this, ref.teamId, ref.databaseId, ref.tableId);
	const databaseSchema = await getDatabaseSchema(this, ref.teamId, ref.databaseId);
	const known = new Set(table.fields.map((field) => field.id));
	// The table schema leaves formula fields out; the database schema has them.
	const formulas = formulaFieldsOf(databaseSchema, table.id ?? ref.tableId).filter((field) => !known.has(field.id));
	return {
		fields: [...table.fields, ...formulas].map(toColumn),
		emptyFieldsNotice: 'This table has no fields',
	};
}
