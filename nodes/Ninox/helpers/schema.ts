/** Table schemas: Ninox speaks field names in records but field ids in filters, upserts and change feeds. */
import type { IDataObject } from 'n8n-workflow';

import type { NinoxContext } from '../transport';
import { databasePath, ninoxRequest, tablePath } from '../transport';

export interface NinoxChoice {
	id: string;
	caption: string;
}

export interface NinoxField {
	id: string;
	name: string;
	type: string;
	choices?: NinoxChoice[];
	[key: string]: unknown;
}

export interface NinoxTable {
	id: string;
	name: string;
	fields: NinoxField[];
}

export async function getTables(
	context: NinoxContext,
	teamId: string,
	databaseId: string,
	itemIndex?: number,
): Promise<NinoxTable[]> {
	return await ninoxRequest<NinoxTable[]>(context, {
		method: 'GET',
		path: [...databasePath(teamId, databaseId), 'tables'],
		itemIndex,
	});
}

export async function getTable(
	context: NinoxContext,
	teamId: string,
	databaseId: string,
	tableId: string,
	itemIndex?: number,
): Promise<NinoxTable> {
	return await ninoxRequest<NinoxTable>(context, {
		method: 'GET',
		path: tablePath(teamId, databaseId, tableId),
		itemIndex,
	});
}

/** The database schema (GET …/databases/{db}): the only place that lists formula fields (with `fn`). */
export async function getDatabaseSchema(
	context: NinoxContext,
	teamId: string,
	databaseId: string,
	itemIndex?: number,
): Promise<IDataObject> {
	return await ninoxRequest<IDataObject>(context, { method: 'GET', path: databasePath(teamId, databaseId), itemIndex });
}

/** Looks fields up by name or id, and suggests close names for a misspelt one. */
export class FieldMap {
	private readonly byName = new Map<string, NinoxField>();
	private readonly byId = new Map<string, NinoxField>();

	constructor(readonly table: NinoxTable) {
		for (const field of table.fields ?? []) {
			this.byName.set(field.name, field);
			this.byId.set(field.id, field);
		}
	}

	byFieldName(name: string): NinoxField | undefined {
		return this.byName.get(name);
	}

	byFieldId(id: string): NinoxField | undefined {
		return this.byId.get(id);
	}

	/** Field name for an id; the id itself when the schema does not know it (e.g. a formula field). */
	nameOf(id: string): string {
		return this.byId.get(id)?.name ?? id;
	}

	/** Up to three field names closest to `name` (case and small typos), for "did you mean" hints. */
	closeNames(name: string): string[] {
		const wanted = name.toLowerCase();
		return [...this.byName.keys()]
			.map((candidate) => ({ candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
			.filter(({ candidate, distance }) => distance <= Math.max(2, Math.floor(candidate.length / 3)))
			.sort((a, b) => a.distance - b.distance)
			.slice(0, 3)
			.map(({ candidate }) => candidate);
	}
}

/** Levenshtein distance (small strings: field names). */
export function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[b.length];
}
