import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getDatabaseSchema } from '../../helpers/schema';
import { databaseIds, databaseLocator, teamLocator } from '../common';

export const description: INodeProperties[] = [
	teamLocator,
	databaseLocator,
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description:
			'Whether to return a simplified version of the response instead of the raw data: the tables with their fields (ID, name, type, choices, referenced table and formula)',
	},
];

export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const [team, database] = databaseIds.call(this, itemIndex);
	const raw = await getDatabaseSchema(this, team, database, itemIndex);
	return this.getNodeParameter('simplify', itemIndex, false) ? simplifySchema(database, raw) : raw;
}

/** A schema type (table) or field as Ninox stores it: captions, `base` types, choices under `values`. */
interface SchemaEntry {
	caption?: unknown;
	name?: unknown;
	base?: unknown;
	type?: unknown;
	fn?: unknown;
	order?: unknown;
	refTypeId?: unknown;
	fields?: Record<string, SchemaEntry>;
	values?: Record<string, SchemaEntry>;
}

/**
 * The database schema reduced to what a workflow needs: tables in id order with their fields. Unlike
 * `GET …/tables`, this includes formula fields, with their formula in `fn`.
 */
export function simplifySchema(databaseId: string, raw: IDataObject): IDataObject {
	const settings = (raw.settings ?? {}) as IDataObject;
	const types = ((raw.schema as IDataObject | undefined)?.types ?? {}) as Record<string, SchemaEntry>;
	const tables = sortedEntries(types).map(([tableId, table]) => ({
		id: tableId,
		name: captionOf(table, tableId),
		fields: sortedEntries(table.fields ?? {}).map(([fieldId, field]) => simplifyField(fieldId, field)),
	}));
	return { id: databaseId, name: settings.name ?? '', tables };
}

function simplifyField(fieldId: string, field: SchemaEntry): IDataObject {
	const simple: IDataObject = { id: fieldId, name: captionOf(field, fieldId), type: String(field.base ?? field.type ?? '') };
	if (field.values && typeof field.values === 'object') {
		simple.choices = Object.entries(field.values)
			.sort(([a, left], [b, right]) => Number(left.order ?? 0) - Number(right.order ?? 0) || compareIds(a, b))
			.map(([id, choice]) => ({ id, caption: captionOf(choice, id) }));
	}
	if (typeof field.refTypeId === 'string') simple.refTable = field.refTypeId;
	if (typeof field.fn === 'string') simple.fn = field.fn;
	return simple;
}

function captionOf(entry: SchemaEntry, fallback: string): string {
	const caption = entry.caption ?? entry.name;
	return typeof caption === 'string' ? caption : fallback;
}

function sortedEntries<T>(record: Record<string, T>): Array<[string, T]> {
	return Object.entries(record).sort(([a], [b]) => compareIds(a, b));
}

/** Ninox ids order as A < B < … < Z < AA; choice ids are numbers as strings. */
function compareIds(a: string, b: string): number {
	return a.length - b.length || a.localeCompare(b);
}
