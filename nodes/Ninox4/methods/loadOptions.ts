/** Field lists for dropdowns (filter, sort, output fields, the upsert match field): names shown and sent. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { Ninox4Field } from '../helpers/schema';
import { isMatchableField, TableSchema } from '../helpers/schema';
import { selectedTable } from './selected';

async function fieldOptions(
	context: ILoadOptionsFunctions,
	keep: (field: Ninox4Field) => boolean,
): Promise<INodePropertyOptions[]> {
	const ref = selectedTable(context);
	if (!ref) return [];
	const { fields } = await TableSchema.load(context, ref);
	return fields
		.filter(keep)
		.map((field) => ({ name: field.name, value: field.name, description: `${field.type} field` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every field: what a read can return. */
export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await fieldOptions(this, () => true);
}

/** Fields with one stored value: what filters and sorting can use. */
export async function getMatchableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await fieldOptions(this, isMatchableField);
}

/** Unique fields: what Create or Update can match records by (a field that does not say otherwise is offered). */
export async function getUniqueFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await fieldOptions(this, (field) => isMatchableField(field) && field.unique !== false);
}
