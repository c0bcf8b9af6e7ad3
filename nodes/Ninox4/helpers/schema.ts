/** A table's fields as Ninox 4 lists them: names are the ids in paths, record keys, filters and sorting. */
import type { IDataObject } from 'n8n-workflow';

import { FieldMap } from '../../Ninox/helpers/schema';
import type { Ninox4Context } from '../transport';
import { fieldsPath, ninox4SchemaList } from '../transport';
import { READ_ONLY_TYPES } from '../transport/facts';

export interface Ninox4Option {
	id?: string;
	name: string;
	order?: number;
}

export interface Ninox4Field extends IDataObject {
	name: string;
	type: string;
	labels?: IDataObject;
	options?: Ninox4Option[] | string;
	refTableName?: string;
}

export interface TableRef {
	moduleName: string;
	tableName: string;
}

export function tableRefKey(ref: TableRef): string {
	return `${ref.moduleName}\u0000${ref.tableName}`;
}

export function tableLabel(ref: TableRef): string {
	return `${ref.moduleName}/${ref.tableName}`;
}

/** Fields Ninox 4 computes (function, reverse, …): shown, never written. */
export function isReadOnlyField(field: Ninox4Field): boolean {
	return READ_ONLY_TYPES.has(field.type);
}

/** Fields with one stored value: what filters, sorting and upsert matching can use. */
export function isMatchableField(field: Ninox4Field): boolean {
	return !isReadOnlyField(field) && !['multi', 'dmulti', 'file'].includes(field.type);
}

/** The choice names of a choice or multiple-choice field. */
export function optionNames(field: Ninox4Field): string[] {
	return Array.isArray(field.options) ? field.options.map((option) => option.name) : [];
}

/** The fields of one table, by name, with close-name suggestions for typos. */
export class TableSchema {
	private readonly byName: Map<string, Ninox4Field>;
	private names?: FieldMap;

	constructor(
		readonly ref: TableRef,
		readonly fields: Ninox4Field[],
	) {
		this.byName = new Map(fields.map((field) => [field.name, field]));
	}

	static async load(context: Ninox4Context, ref: TableRef, itemIndex?: number): Promise<TableSchema> {
		const fields = await ninox4SchemaList<Ninox4Field>(context, {
			path: fieldsPath(ref.moduleName, ref.tableName),
			itemIndex,
		});
		return new TableSchema(ref, fields);
	}

	get label(): string {
		return tableLabel(this.ref);
	}

	field(name: string): Ninox4Field | undefined {
		return this.byName.get(name);
	}

	/** Up to three field names close to `name` (case, small typos), for "did you mean" hints. */
	closeNames(name: string): string[] {
		this.names ??= new FieldMap({ id: '', name: '', fields: this.fields.map((field) => ({ id: field.name, name: field.name, type: field.type })) });
		return this.names.closeNames(name);
	}
}

/** Table schemas of one execution, read once per table (items may name different tables by expression). */
export class SchemaCache {
	private readonly tables = new Map<string, Promise<TableSchema>>();

	constructor(private readonly context: Ninox4Context) {}

	get(ref: TableRef, itemIndex: number): Promise<TableSchema> {
		const key = tableRefKey(ref);
		let schema = this.tables.get(key);
		if (!schema) {
			schema = TableSchema.load(this.context, ref, itemIndex);
			// A failure is not kept: the next item that names the table tries again, and fails with its own index.
			schema.catch(() => this.tables.delete(key));
			this.tables.set(key, schema);
		}
		return schema;
	}
}
