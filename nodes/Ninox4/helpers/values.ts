/**
 * Record values between n8n and Ninox 4: which fields can be written, and how an n8n value becomes what Ninox 4
 * takes for the field's type (dates `YYYY-MM-DD`, timestamps in UTC with `Z`, yes/no as booleans, choices by
 * name, multiple choices as a list of names, references by record ID). Types whose format is undocumented are
 * passed through as given.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	describeValue,
	isDateTimeLike,
	isRealDate,
	toBoolean,
	toList,
	toNumber,
	toText,
} from '../../Ninox/helpers/fields';
import { REFERENCE_ID_AS_NUMBER } from '../transport/facts';
import type { Ninox4Field, TableSchema } from './schema';
import { isReadOnlyField, optionNames } from './schema';

export interface ValueWriteOptions {
	/** Keys of the input that are not values to write (read past, so that the input is not copied). */
	leaveOut?: string[];
	/** Keys that are not writable fields are left out instead of failing the item. */
	ignoreUnwritable: boolean;
	/** Read-only (computed) fields are left out instead of failing the item. */
	skipReadOnly: boolean;
}

/**
 * Checks one item's values (keyed by field name) against the table and converts each for Ninox 4. `null`
 * clears a field. Throws a NodeOperationError naming the item and the field: unknown (with close names),
 * read-only, or a value the field cannot take. The node is asked for only then: n8n copies it on every `getNode()`.
 */
export function toNinox4Values(
	context: { getNode(): INode },
	schema: TableSchema,
	input: IDataObject,
	itemIndex: number,
	options: ValueWriteOptions,
): IDataObject {
	const output: IDataObject = {};
	for (const name of Object.keys(input)) {
		if (options.leaveOut?.includes(name)) continue;
		const value = input[name];
		const field = schema.field(name);
		if (!field || isReadOnlyField(field)) {
			if (options.ignoreUnwritable || (field && options.skipReadOnly)) continue;
			const node = context.getNode();
			throw field ? readOnlyFieldError(node, schema, field, itemIndex) : unknownFieldError(node, schema, name, itemIndex);
		}
		try {
			output[name] = value === null ? null : toNinox4Value(field, value);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `Field "${name}" in item ${itemIndex}: ${(error as Error).message}`, {
				itemIndex,
				description: valueHint(field),
			});
		}
	}
	return output;
}

export function unknownFieldError(node: INode, schema: TableSchema, name: string, itemIndex: number): NodeOperationError {
	const close = schema.closeNames(name);
	const writable = schema.fields.filter((field) => !isReadOnlyField(field)).map((field) => `"${field.name}"`);
	return new NodeOperationError(node, `Unknown field "${name}" in item ${itemIndex}: table ${schema.label} has no such field`, {
		itemIndex,
		description: close.length
			? `Did you mean ${close.map((candidate) => `"${candidate}"`).join(' or ')}? Ninox 4 field names are lowercase letters, digits and _.`
			: `The writable fields of table ${schema.label} are: ${writable.join(', ') || '(none)'}.`,
	});
}

function readOnlyFieldError(node: INode, schema: TableSchema, field: Ninox4Field, itemIndex: number): NodeOperationError {
	return new NodeOperationError(node, `Field "${field.name}" in item ${itemIndex} is read-only: it is a ${field.type} field`, {
		itemIndex,
		description: `Ninox 4 computes "${field.name}" in table ${schema.label}; remove it from the fields to write.`,
	});
}

function valueHint(field: Ninox4Field): string {
	switch (field.type) {
		case 'number':
			return 'Use a number, e.g. 42 or 13.5.';
		case 'boolean':
			return 'Use true or false (a yes/no field).';
		case 'date':
			return 'Use a date such as 2024-05-31.';
		case 'timestamp':
			return 'Use a date and time such as 2024-05-31T14:30:00Z (read as UTC unless it carries a time zone).';
		case 'time':
			return 'Use a time such as 09:30.';
		case 'choice':
		case 'multi':
			return `Use ${field.type === 'multi' ? 'a list of ' : ''}one of: ${optionNames(field).map((name) => `"${name}"`).join(', ')}.`;
		case 'reference':
			return `A reference takes the ID of a record of table ${field.refTableName ?? 'it points at'}, e.g. 12.`;
		default:
			return 'Use text.';
	}
}

/** One value as Ninox 4 takes it for the field's type; throws an Error whose message says what is wrong. */
export function toNinox4Value(field: Ninox4Field, value: unknown): IDataObject[string] {
	switch (field.type) {
		case 'number':
			return toNumber(value);
		case 'boolean':
			// Ninox 4 refuses 1 and 0: they become booleans here, as do yes and no.
			return toBoolean(value);
		case 'date':
			return toDate(value);
		case 'timestamp':
			return toTimestamp(value);
		case 'time':
			return toTime(value);
		case 'choice':
			return toOptionName(field, value);
		case 'multi':
			return toList(value).map((entry) => toOptionName(field, entry));
		case 'reference':
			return toReference(value);
		case 'string':
		case 'color':
			return toText(value);
		default:
			// file, user, icon, appointment, … (formats undocumented or disputed) and types not known yet: as given.
			return value as IDataObject[string];
	}
}

function toDate(value: unknown): string | number {
	if (isDateTimeLike(value) && value.isValid) return value.toISODate() as string;
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
	// Unix milliseconds are a form Ninox 4 takes itself.
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') {
		const day = value.trim().slice(0, 10);
		const rest = value.trim().slice(10);
		if (isRealDate(day) && (rest === '' || /^[T ]/.test(rest))) return day;
	}
	throw new Error(`${describeValue(value)} is not a date`);
}

const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?Z$/;

function toTimestamp(value: unknown): string | number {
	if (isDateTimeLike(value) && value.isValid) return value.toUTC().toISO({ suppressMilliseconds: true }) as string;
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim().replace(' ', 'T');
		// Already as toISOString writes it (the usual case): the same answer without parsing a Date.
		if (UTC_ISO.test(text) && isRealDate(text.slice(0, 10))) return text.replace('.000Z', 'Z');
		// Without a zone the time is read as UTC.
		const date = new Date(/T\d/.test(text) && !ZONED.test(text) ? `${text}Z` : text);
		if (isRealDate(text.slice(0, 10)) && !Number.isNaN(date.getTime())) return date.toISOString().replace('.000Z', 'Z');
	}
	throw new Error(`${describeValue(value)} is not a date and time`);
}

function toTime(value: unknown): string {
	const match = typeof value === 'string' ? /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/.exec(value.trim()) : null;
	if (match && Number(match[1]) < 24) return `${match[1].padStart(2, '0')}:${match[2]}${match[3] ? `:${match[3]}` : ''}`;
	throw new Error(`${describeValue(value)} is not a time`);
}

/** A choice by its name (exact case, as Ninox 4 wants it), matched case-blind or by option ID. */
function toOptionName(field: Ninox4Field, value: unknown): string {
	const options = Array.isArray(field.options) ? field.options : [];
	if (typeof value === 'string' || typeof value === 'number') {
		const text = String(value).trim();
		const option =
			options.find((candidate) => candidate.name === text) ??
			options.find((candidate) => candidate.name.toLowerCase() === text.toLowerCase()) ??
			options.find((candidate) => candidate.id !== undefined && String(candidate.id) === text);
		if (option) return option.name;
	}
	const names = optionNames(field).map((name) => `"${name}"`).join(', ');
	throw new Error(`${describeValue(value)} is not a choice of this field (${names || 'it has none'})`);
}

function toReference(value: unknown): number | string {
	const id = parseRecordIdText(value);
	if (id === undefined) throw new Error(`${describeValue(value)} is not a record ID`);
	return REFERENCE_ID_AS_NUMBER ? id : String(id);
}

/** A Ninox 4 record ID: an integer from 1 (read as a string, written as a number). */
export function parseRecordIdText(value: unknown): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	const id = /^\d+$/.test(text) ? Number(text) : NaN;
	return Number.isSafeInteger(id) && id >= 1 ? id : undefined;
}
