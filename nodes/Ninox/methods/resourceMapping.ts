/** The Fields mapper of Create / Update / Upsert: the table's fields with n8n types, read-only ones marked. */
import type {
	FieldType,
	IDataObject,
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { loadedFields, loadFailureNotice } from '../../shared/notices';
import { currentTableRef, formulaFieldsOf, isMatchableField, isReadOnlyField } from '../helpers/fields';
import type { NinoxField } from '../helpers/schema';
import { getDatabaseSchema, getTable } from '../helpers/schema';

/**
 * Ninox field types → n8n's mapper types; every other type is text. Dates stay text ("2024-05-31"): n8n's date
 * and time picker would add a time. Multiple choices are text too ("Red, Blue"): the mapper has no multi-select,
 * and its list type is a JSON editor.
 */
const N8N_TYPES: Record<string, FieldType> = {
	number: 'number',
	boolean: 'boolean',
	datetime: 'dateTime',
	time: 'time',
	choice: 'options',
	ref: 'number',
};

/** Choices listed in a label, at most this many. */
const LISTED_CHOICES = 10;

/** What a field's label adds to its name, so that the input says what it takes. */
function labelHint(field: NinoxField, tableNames: Map<string, string>): string {
	switch (field.type) {
		case 'date':
			return 'date, e.g. 2024-05-31';
		case 'multi': {
			const captions = (field.choices ?? []).map((choice) => choice.caption);
			const listed = captions.slice(0, LISTED_CHOICES).join(', ') + (captions.length > LISTED_CHOICES ? ', …' : '');
			return `any of: ${listed}; separate with commas`;
		}
		case 'ref': {
			const target = String(field.refTableId ?? '');
			return `record ID in ${tableNames.has(target) ? `table ${tableNames.get(target)}` : target ? `table ${target}` : 'the referenced table'}`;
		}
		default:
			return '';
	}
}

function toColumn(field: NinoxField, tableNames: Map<string, string>): ResourceMapperField {
	const readOnly = isReadOnlyField(field);
	const type = N8N_TYPES[field.type] ?? 'string';
	const hint = readOnly ? '' : labelHint(field, tableNames);
	return {
		id: field.name,
		displayName: hint ? `${field.name} (${hint})` : field.name,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: isMatchableField(field),
		display: true,
		type,
		// Choices are written by caption, which is also what Ninox shows in records.
		...(type === 'options' ? { options: (field.choices ?? []).map((choice) => ({ name: choice.caption, value: choice.caption })) } : {}),
		// Formula and reverse-reference fields are shown but cannot be mapped: Ninox computes them.
		...(readOnly ? { readOnly: true } : {}),
		// Every field starts removed: only the fields the user adds are written.
		removed: true,
	};
}

/** Table names by id, from the database schema (for reference fields' labels). */
function tableNamesOf(databaseSchema: IDataObject): Map<string, string> {
	const types = ((databaseSchema.schema as IDataObject | undefined)?.types ?? {}) as Record<string, IDataObject>;
	return new Map(Object.entries(types).map(([id, type]) => [id, String(type.caption ?? type.name ?? id)]));
}

/**
 * The table's fields. When they cannot be read (a locator not chosen, a URL half typed or of another database,
 * a table not found, no access), the cause is the notice: n8n's editor drops an error thrown here and shows only
 * "No fields found", so a thrown error would hide what went wrong.
 */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	let fields: NinoxField[];
	let tableNames: Map<string, string>;
	let tableId: string | undefined;
	let tableName = '';
	try {
		const ref = currentTableRef(this);
		// No notice yet: the editor would keep showing it after a table is chosen.
		if (!ref) return { fields: [] };
		tableId = ref.tableId;
		// One request at a time: Ninox limits parallel calls.
		const table = await getTable(this, ref.teamId, ref.databaseId, ref.tableId);
		const databaseSchema = await getDatabaseSchema(this, ref.teamId, ref.databaseId);
		const known = new Set(table.fields.map((field) => field.id));
		// The table schema leaves formula fields out; the database schema has them.
		const formulas = formulaFieldsOf(databaseSchema, table.id ?? ref.tableId).filter((field) => !known.has(field.id));
		fields = [...table.fields, ...formulas];
		tableName = table.name || ref.tableId;
		tableNames = tableNamesOf(databaseSchema);
	} catch (error) {
		return { fields: [], emptyFieldsNotice: loadFailureNotice(error, tableId) };
	}
	return loadedFields(
		fields.map((field) => toColumn(field, tableNames)),
		tableName,
	);
}
