/** Field lists for dropdowns (filters, sort, upsert match field): names shown and sent, ids mapped at run time. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { currentTableRef, isMatchableField } from '../helpers/fields';
import { getTable } from '../helpers/schema';

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
