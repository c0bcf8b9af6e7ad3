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
