/**
 * Lists for dropdowns: fields (filters, sort, upsert match field; names shown and sent, ids mapped at run time) and
 * a record's files.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { currentTableRef, isMatchableField } from '../helpers/fields';
import { getTable } from '../helpers/schema';
import { recordPath, ninoxRequest } from '../transport';
import { selectedLocators } from './selectedLocators';

/** Fields with one value that Ninox stores (not computed): what filters, sorting and upsert matching can use. */
export async function getMatchableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const ref = currentTableRef(this);
	if (!ref) return [];
	const table = await getTable(this, ref.teamId, ref.databaseId, ref.tableId);
	return table.fields
		.filter(isMatchableField)
		.map((field) => ({ name: field.name, value: field.name, description: `${field.type} field ${field.id}` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The files attached to the record chosen so far (none until team, database, table and a record ID are set). */
export async function getRecordFiles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { team, database, table } = selectedLocators(this, ['team', 'database', 'table']);
	const record = /^[A-Z]{0,3}(\d+)$/.exec(String(this.getCurrentNodeParameter('recordId') ?? '').trim())?.[1];
	if (!team || !database || !table || !record) return [];
	const files = await ninoxRequest<Array<{ name: string; contentType?: string; size?: number }>>(this, {
		method: 'GET',
		path: [...recordPath(team, database, table, Number(record)), 'files'],
	});
	return (Array.isArray(files) ? files : [])
		.map((file) => ({
			name: file.name,
			value: file.name,
			description: [file.contentType, file.size === undefined ? '' : `${file.size} bytes`].filter(Boolean).join(', '),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
