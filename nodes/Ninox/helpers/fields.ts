/**
 * Record fields between n8n and Ninox: which fields can be written, how n8n values become the values Ninox
 * expects (dates `YYYY-MM-DD`, date+time in UTC without `Z`, yes/no, numbers, choices by caption, references by
 * record id), and field names ⇄ ids for reads and upserts.
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { selectedLocators } from '../methods/selectedLocators';
import type { NinoxContext } from '../transport';
import type { NinoxField, NinoxTable } from './schema';
import { FieldMap, getDatabaseSchema, getTable } from './schema';

export interface TableRef {
	teamId: string;
	databaseId: string;
	tableId: string;
}

export function tableRefKey(ref: TableRef): string {
	return `${ref.teamId}\u0000${ref.databaseId}\u0000${ref.tableId}`;
}

/** In the editor: the team / database / table chosen so far; undefined until all three are set. */
export function currentTableRef(context: ILoadOptionsFunctions): TableRef | undefined {
	const { team: teamId, database: databaseId, table: tableId } = selectedLocators(context, ['team', 'database', 'table']);
	return teamId && databaseId && tableId ? { teamId, databaseId, tableId } : undefined;
}

/** Ninox types whose value is text on the wire (kept as written). */
const TEXT_TYPES = new Set([
	'string',
	'phone',
	'email',
	'url',
	'link',
	'html',
	'location',
	'color',
	'icon',
	'appointment',
	'timeinterval',
	'user',
	'file',
	'image',
	'signature',
]);

/** Formula fields (`fn`) and reverse references (`rev`) are computed by Ninox; writing them fails with a 500. */
export function isReadOnlyField(field: NinoxField): boolean {
	return field.fn !== undefined || field.type === 'rev';
}

/** Fields whose single value can identify a record (filters, upsert matching). */
export function isMatchableField(field: NinoxField): boolean {
	return !isReadOnlyField(field) && !['multi', 'file', 'image', 'signature'].includes(field.type);
}

/**
 * Formula fields of one table, from the database schema (`schema.types[tableId].fields`): the table schema leaves
 * them out. Each becomes a NinoxField with its `fn`, its base type and its caption as the name.
 */
export function formulaFieldsOf(databaseSchema: IDataObject, tableId: string): NinoxField[] {
	const schema = (databaseSchema.schema ?? databaseSchema) as IDataObject;
	const types = (schema.types ?? {}) as Record<string, IDataObject>;
	const fields = (types[tableId]?.fields ?? {}) as Record<string, IDataObject>;
	return Object.entries(fields)
		.filter(([, field]) => field && typeof field === 'object' && field.fn !== undefined)
		.map(([id, field]) => ({
			id,
			name: String(field.caption ?? field.name ?? id),
			type: String(field.base ?? field.type ?? 'string'),
			fn: field.fn,
		}));
}

/**
 * One table's fields, as the table schema lists them. Formula fields are only in the database schema, so that is
 * read (once) only when a name or id is not in the table schema: the usual write costs a single schema request.
 */
export class TableFields {
	private withFormulas?: Promise<FieldMap>;
	/** Table-schema plus formula fields, once read. */
	private all?: FieldMap;

	private constructor(
		private readonly context: NinoxContext,
		readonly ref: TableRef,
		readonly map: FieldMap,
		private readonly itemIndex?: number,
	) {}

	static async load(context: NinoxContext, ref: TableRef, itemIndex?: number): Promise<TableFields> {
		const table = await getTable(context, ref.teamId, ref.databaseId, ref.tableId, itemIndex);
		return new TableFields(context, ref, new FieldMap(table), itemIndex);
	}

	get table(): NinoxTable {
		return this.map.table;
	}

	/** The table's name for messages ("Contact"), or its id. */
	get label(): string {
		return this.table.name ? `"${this.table.name}"` : this.ref.tableId;
	}

	/** Table-schema fields plus formula fields. */
	async allFields(): Promise<FieldMap> {
		// The promise is kept, so callers awaiting at the same time share one request.
		this.withFormulas ??= getDatabaseSchema(this.context, this.ref.teamId, this.ref.databaseId, this.itemIndex).then(
			(schema) => {
				const known = new Set(this.table.fields.map((field) => field.id));
				// The schema's key is the table id; the locator may have named the table otherwise.
				const formulas = formulaFieldsOf(schema, this.table.id ?? this.ref.tableId).filter(
					(field) => !known.has(field.id),
				);
				return (this.all = new FieldMap({ ...this.table, fields: [...this.table.fields, ...formulas] }));
			},
		);
		return await this.withFormulas;
	}

	/** Whether the formula fields are read, so that a name missing from `known…` is truly unknown. */
	get complete(): boolean {
		return this.all !== undefined;
	}

	/** Names of the fields read so far that look like `name`. */
	closeNames(name: string): string[] {
		return (this.all ?? this.map).closeNames(name);
	}

	/** The field of this name among those read so far (no request). */
	knownByName(name: string): NinoxField | undefined {
		return this.map.byFieldName(name) ?? this.all?.byFieldName(name);
	}

	/** The field of this id among those read so far (no request). */
	knownById(id: string): NinoxField | undefined {
		return this.map.byFieldId(id) ?? this.all?.byFieldId(id);
	}

	async byName(name: string): Promise<NinoxField | undefined> {
		return this.map.byFieldName(name) ?? (await this.allFields()).byFieldName(name);
	}

	async byId(id: string): Promise<NinoxField | undefined> {
		return this.map.byFieldId(id) ?? (await this.allFields()).byFieldId(id);
	}
}

// ─── writes ─────────────────────────────────────────────────────────────────

export interface FieldWriteOptions {
	/** Keys on the wire: field names (records endpoints) or field ids (upsert). */
	keyBy: 'name' | 'id';
	/** Empty values (null, undefined, "") empty the field (sent as null) instead of being left out. */
	clearEmpty: boolean;
	/** Keys that are not writable fields are left out instead of failing the item. */
	ignoreUnwritable: boolean;
}

export function isEmptyValue(value: unknown): boolean {
	return value === null || value === undefined || value === '';
}

/**
 * Thrown by `toNinoxFields` for a name the table schema does not know while the formula fields (in the database
 * schema) are not read yet: the caller reads them (`fields.allFields()`) and converts the item again. This keeps
 * the conversion of every item synchronous, and the usual write at a single schema request.
 */
export class FormulaFieldsNeeded extends Error {
	constructor(readonly fields: TableFields) {
		super('The formula fields of the table are needed');
	}
}

/**
 * Checks one item's fields (keyed by name) against the table and converts every value for Ninox.
 * Throws a NodeOperationError naming the item and the field: unknown (with close names), read-only, or a value
 * the field cannot take. Nothing is sent for an item that fails.
 */
export function toNinoxFields(
	context: IExecuteFunctions,
	fields: TableFields,
	input: IDataObject,
	itemIndex: number,
	options: FieldWriteOptions,
): IDataObject {
	const output: IDataObject = {};
	for (const [name, value] of Object.entries(input)) {
		const field = fields.knownByName(name);
		if (!field) {
			if (options.ignoreUnwritable) continue;
			if (!fields.complete) throw new FormulaFieldsNeeded(fields);
			throw unknownFieldError(context.getNode(), fields, name, itemIndex);
		}
		if (isReadOnlyField(field)) {
			if (options.ignoreUnwritable) continue;
			throw readOnlyFieldError(context.getNode(), fields, field, itemIndex);
		}
		const key = options.keyBy === 'id' ? field.id : field.name;
		if (isEmptyValue(value) || (Array.isArray(value) && value.length === 0)) {
			if (options.clearEmpty) output[key] = null;
			continue;
		}
		try {
			output[key] = toNinoxValue(field, value);
		} catch (error) {
			throw new NodeOperationError(
				context.getNode(),
				`Field "${field.name}" in item ${itemIndex}: ${(error as Error).message}`,
				{ itemIndex, description: valueHint(field) },
			);
		}
	}
	return output;
}

/** For a table whose fields are `complete`. */
function unknownFieldError(node: INode, fields: TableFields, name: string, itemIndex: number): NodeOperationError {
	const close = fields.closeNames(name);
	const writable = fields.table.fields.filter((field) => !isReadOnlyField(field)).map((field) => `"${field.name}"`);
	const description = close.length
		? `Did you mean ${close.map((candidate) => `"${candidate}"`).join(' or ')}? Field names are case-sensitive.`
		: `The writable fields of table ${fields.label} are: ${writable.join(', ') || '(none)'}.`;
	return new NodeOperationError(node, `Unknown field "${name}" in item ${itemIndex}: table ${fields.label} has no such field`, {
		itemIndex,
		description,
	});
}

function readOnlyFieldError(node: INode, fields: TableFields, field: NinoxField, itemIndex: number): NodeOperationError {
	const formula = field.fn !== undefined;
	return new NodeOperationError(
		node,
		`Field "${field.name}" in item ${itemIndex} is read-only: it is ${formula ? 'a formula field' : 'a reverse reference'}`,
		{
			itemIndex,
			description: formula
				? `Ninox computes "${field.name}" from other fields of table ${fields.label}; remove it from the fields to write.`
				: `"${field.name}" lists the records that point at this one; set the reference field in the other table instead.`,
		},
	);
}

function valueHint(field: NinoxField): string {
	switch (field.type) {
		case 'number':
			return 'Use a number, e.g. 42 or 13.5.';
		case 'boolean':
			return 'Use true or false (a yes/no field).';
		case 'date':
			return 'Use a date such as 2024-05-31.';
		case 'datetime':
			return 'Use a date and time such as 2024-05-31T14:30:00 (read as UTC unless it carries a time zone).';
		case 'time':
			return 'Use a time such as 14:30 or 14:30:00.';
		case 'choice':
		case 'multi':
			return `Use ${field.type === 'multi' ? 'a list of ' : ''}one of: ${choiceCaptions(field).join(', ')}.`;
		case 'ref':
			return 'A reference field takes the ID of the record it points at, e.g. 12 (or B12).';
		default:
			return 'Use text.';
	}
}

function choiceCaptions(field: NinoxField): string[] {
	return (field.choices ?? []).map((choice) => `"${choice.caption}"`);
}

/** A luxon DateTime (what n8n hands over for a dateTime parameter), recognised without importing luxon. */
export interface DateTimeLike {
	toUTC(): DateTimeLike;
	toISODate(): string | null;
	toISO(options?: { includeOffset?: boolean; suppressMilliseconds?: boolean }): string | null;
	isValid: boolean;
}

export function isDateTimeLike(value: unknown): value is DateTimeLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as DateTimeLike).toISODate === 'function' &&
		typeof (value as DateTimeLike).toUTC === 'function'
	);
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const NAIVE_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Arithmetic, not Date: formatting a Date costs microseconds, and batched writes check 10 000s of dates. */
export function isRealDate(text: string): boolean {
	const match = DATE_TEXT.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** Ninox date+time: UTC `YYYY-MM-DDThh:mm:ss`, no zone. */
function utcDateTime(date: Date): string {
	return date.toISOString().slice(0, 19);
}

/** One value as Ninox expects it for the field's type; throws an Error whose message says what is wrong. */
export function toNinoxValue(field: NinoxField, value: unknown): IDataObject[string] {
	switch (field.type) {
		case 'number':
			return toNumber(value);
		case 'boolean':
			return toBoolean(value);
		case 'date':
			return toDate(value);
		case 'datetime':
			return toDateTime(value);
		case 'time':
			return toTime(value);
		case 'choice':
			return toChoice(field, value);
		case 'multi':
			return toList(value).map((entry) => toChoice(field, entry));
		case 'ref':
			return toRecordReference(value);
		default:
			if (TEXT_TYPES.has(field.type)) return toText(value);
			// A type this node does not know yet: Ninox gets the value as it is.
			return value as IDataObject[string];
	}
}

export function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	if (isDateTimeLike(value)) return String(value.toISO());
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

export function toNumber(value: unknown): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	throw new Error(`${describeValue(value)} is not a number`);
}

export function toBoolean(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (['true', '1', 'yes'].includes(text)) return true;
	if (['false', '0', 'no'].includes(text)) return false;
	throw new Error(`${describeValue(value)} is not a yes/no value`);
}

function toDate(value: unknown): string {
	if (isDateTimeLike(value) && value.isValid) return value.toISODate() as string;
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
	if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
	if (typeof value === 'string') {
		const text = value.trim();
		// A date with a time: Ninox keeps the calendar day as written.
		const day = text.slice(0, 10);
		if (isRealDate(day) && (text.length === 10 || /^[T ]/.test(text.slice(10)))) return day;
	}
	throw new Error(`${describeValue(value)} is not a date`);
}

function toDateTime(value: unknown): string {
	if (isDateTimeLike(value) && value.isValid) {
		return (value.toUTC().toISO({ includeOffset: false, suppressMilliseconds: true }) as string).slice(0, 19);
	}
	if (value instanceof Date && !Number.isNaN(value.getTime())) return utcDateTime(value);
	if (typeof value === 'number' && Number.isFinite(value)) return utcDateTime(new Date(value));
	if (typeof value === 'string') {
		const text = value.trim();
		if (ZONED_DATE_TIME.test(text)) {
			const date = new Date(text.replace(' ', 'T'));
			if (!Number.isNaN(date.getTime())) return utcDateTime(date);
		}
		// Without a zone the text is taken as UTC, the form Ninox itself returns.
		const naive = NAIVE_DATE_TIME.exec(text);
		if (naive && isRealDate(naive[1])) {
			const [, day, hours = '00', minutes = '00', seconds = '00'] = naive;
			if (Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60) {
				return `${day}T${hours}:${minutes}:${seconds}`;
			}
		}
	}
	throw new Error(`${describeValue(value)} is not a date and time`);
}

function toTime(value: unknown): string {
	const match = typeof value === 'string' ? /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim()) : null;
	if (match && Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3] ?? 0) < 60) {
		return `${match[1].padStart(2, '0')}:${match[2]}:${match[3] ?? '00'}`;
	}
	throw new Error(`${describeValue(value)} is not a time`);
}

/** A choice by caption (what Ninox shows) or by choice id; sent as the caption. */
function toChoice(field: NinoxField, value: unknown): string {
	const choices = field.choices ?? [];
	if (typeof value === 'string' || typeof value === 'number') {
		const text = String(value);
		const choice =
			choices.find((candidate) => candidate.caption === text) ??
			choices.find((candidate) => candidate.caption.trim().toLowerCase() === text.trim().toLowerCase()) ??
			choices.find((candidate) => candidate.id === text);
		if (choice) return choice.caption;
	}
	throw new Error(`${describeValue(value)} is not a choice of this field (${choiceCaptions(field).join(', ')})`);
}

/** Multiple choice: an array, a JSON array text, or comma-separated captions. */
export function toList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[')) {
			try {
				const parsed = JSON.parse(text) as unknown;
				if (Array.isArray(parsed)) return parsed;
			} catch {
				// not JSON: read it as captions separated by commas
			}
		}
		return text
			.split(',')
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	}
	return [value];
}

/** A reference: the target record's id (12, "12" or Ninox's "B12"). */
function toRecordReference(value: unknown): number {
	const match = /^[A-Z]{0,3}(\d+)$/.exec(String(value).trim());
	const id = match ? Number(match[1]) : NaN;
	if (Number.isSafeInteger(id) && id >= 1 && (typeof value === 'number' || typeof value === 'string')) return id;
	throw new Error(`${describeValue(value)} is not a record ID`);
}

export function toText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (isDateTimeLike(value)) return String(value.toISO());
	throw new Error(`${describeValue(value)} is not text`);
}

// ─── reads ──────────────────────────────────────────────────────────────────

/** Record `fields` by name → by field id (Ninox lists records by name; ids only on a single-record GET). */
export async function fieldsByIds(fields: TableFields, byName: IDataObject): Promise<IDataObject> {
	const output: IDataObject = {};
	for (const [name, value] of Object.entries(byName)) {
		// Awaited only on a miss: these run once per field of every record of a batch.
		output[(fields.knownByName(name) ?? (await fields.byName(name)))?.id ?? name] = value;
	}
	return output;
}

/** Record `fields` by id (upsert answers) → by name. */
export async function fieldsByNames(fields: TableFields, byId: IDataObject): Promise<IDataObject> {
	const output: IDataObject = {};
	for (const [id, value] of Object.entries(byId)) {
		output[(fields.knownById(id) ?? (await fields.byId(id)))?.name ?? id] = value;
	}
	return output;
}
