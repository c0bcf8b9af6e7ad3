import type { ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

/**
 * The notice of a fields mapper whose fields could not be read: n8n's editor drops an error thrown by a
 * resource-mapping method and shows only "No fields found", so the cause is said here.
 */
export function loadFailureNotice(error: unknown, tableId: string | undefined): string {
	const { message = String(error), description, httpCode } = error as { message?: string; description?: string; httpCode?: string };
	const status = httpCode && !message.includes(httpCode) ? ` (${httpCode})` : '';
	const what = tableId === undefined ? 'the fields' : `the fields of table ${tableId}`;
	return `Could not load ${what}: ${message}${status}.${description ? ` ${description}` : ''}`;
}

/**
 * The answer of a fields mapper whose fields were read. n8n's editor (2.8) keeps the last notice any answer gave
 * and shows it under Map Automatically until the panel is closed, so an answer without one would leave an earlier
 * "could not load" standing: every answer says what is true of this table instead.
 */
export function loadedFields(fields: ResourceMapperField[], table: string): ResourceMapperFields {
	const writable = fields.filter((field) => !field.readOnly).map((field) => field.id);
	if (!writable.length) return { fields, emptyFieldsNotice: `Table ${table} has no fields that can be written` };
	const shown = writable.length > 6 ? `${writable.slice(0, 6).join(', ')} and ${writable.length - 6} more` : writable.join(', ');
	return {
		fields,
		emptyFieldsNotice: `Map Automatically writes each input field named like a field of table ${table} (${shown}). An input field with another name fails its item unless Ignore Unknown and Read-Only Fields is on in Options.`,
	};
}
