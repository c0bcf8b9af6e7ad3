/**
 * Ninox's change feed (`…/changes?sinceSq=n`) turned into one readable item per changed record.
 * Shared by the Change resource (one-shot reads) and the Ninox Trigger (a cursor over the feed).
 *
 * The feed keys records as "<tableId><recordId>" ("A1", "AB78670"), field values by field id, choices by choice id,
 * dates and `_cd`/`_md` as epoch milliseconds; `updates` holds each changed record's latest state once, `removes`
 * the records deleted since `sinceSq`, `seq` the database's change counter at the time of the answer.
 */
import type { IDataObject } from 'n8n-workflow';

import type { NinoxField, NinoxTable } from './schema';
import { FieldMap } from './schema';

/** One record's state in the feed: `_id` "A1", creator/creation, modifier/modification, values by field id. */
export interface ChangeEntry {
	_id?: string;
	_cu?: unknown;
	_cd?: unknown;
	_mu?: unknown;
	_md?: unknown;
	[fieldId: string]: unknown;
}

/** The answer of the database (`nextRids`), table and record (`nextRid`) change feeds. */
export interface ChangeFeed {
	seq: number;
	nextRids?: Record<string, number>;
	nextRid?: number;
	updates?: Record<string, ChangeEntry>;
	removes?: string[];
	[key: string]: unknown;
}

export type ChangeEvent = 'created' | 'updated' | 'deleted';

export const CHANGE_EVENTS: ChangeEvent[] = ['created', 'updated', 'deleted'];

/** A changed record, before it is made readable. `entry` is missing for deleted records. */
export interface RecordChange {
	event: ChangeEvent;
	tableId: string;
	recordId: number;
	entry?: ChangeEntry;
}

export interface RecordRef {
	tableId: string;
	recordId: number;
}

/** Decides whether a record in `updates` was created (rather than changed) since the feed's `sinceSq`. */
export type CreatedRule = (ref: RecordRef, entry: ChangeEntry) => boolean;

/** "A1" → { tableId: "A", recordId: 1 }; undefined for anything else. */
export function parseRecordRef(ref: unknown): RecordRef | undefined {
	const match = /^(\D+)(\d+)$/.exec(String(ref ?? ''));
	if (!match) return undefined;
	const recordId = Number(match[2]);
	return Number.isSafeInteger(recordId) && recordId > 0 ? { tableId: match[1], recordId } : undefined;
}

/** Is this answer a change feed? Guards against a proxy or a changed API answering something else. */
export function isChangeFeed(value: unknown): value is ChangeFeed {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		typeof (value as ChangeFeed).seq === 'number' &&
		Number.isFinite((value as ChangeFeed).seq)
	);
}

/**
 * The next record id of each table as the feed reports it: `nextRids` (database feed) or `nextRid` (table and
 * record feeds, which are about `tableId`). A record id at or above a table's earlier nextRid is newer than that.
 */
export function nextRidsOf(feed: ChangeFeed, tableId?: string): Record<string, number> {
	const nextRids: Record<string, number> = {};
	for (const [table, nextRid] of Object.entries(feed.nextRids ?? {})) {
		if (typeof nextRid === 'number' && Number.isFinite(nextRid)) nextRids[table] = nextRid;
	}
	if (tableId !== undefined && typeof feed.nextRid === 'number' && Number.isFinite(feed.nextRid)) {
		nextRids[tableId] = feed.nextRid;
	}
	return nextRids;
}

/**
 * The rule for a one-shot read since sequence `sinceSq`, where the tables' nextRids at that sequence are unknown.
 * A record is `created` when everything since 0 is asked for (every record was created after sequence 0), or when
 * its creation is its latest change (`_cd` equals `_md`): the feed lists it because that change is newer than
 * `sinceSq`, so its creation is too. A record created after `sinceSq` and edited again later is reported as
 * `updated` (the feed keeps no history to tell); a record reported `created` never existed before `sinceSq`.
 */
export function createdSinceSequenceRule(sinceSq: number): CreatedRule {
	return (_ref, entry) =>
		sinceSq <= 0 || (typeof entry._cd === 'number' && typeof entry._md === 'number' && entry._cd === entry._md);
}

/** The trigger's rule: a record id at or above its table's nextRid at the previous poll was created since then. */
export function createdSinceNextRidsRule(previousNextRids: Record<string, number>): CreatedRule {
	// A table without an earlier nextRid had handed out no id yet (or did not exist): all its records are new.
	return ({ tableId, recordId }) => recordId >= (previousNextRids[tableId] ?? 1);
}

/**
 * The feed's changed records, one per record: its latest state from `updates` (created or updated), or `deleted`
 * from `removes`. Sorted by table and record id so the order is stable. `tableId` keeps only that table's records.
 */
export function recordChanges(feed: ChangeFeed, isCreated: CreatedRule, tableId?: string): RecordChange[] {
	const changes = new Map<string, RecordChange>();
	for (const [key, entry] of Object.entries(feed.updates ?? {})) {
		if (typeof entry !== 'object' || entry === null) continue;
		const ref = parseRecordRef(entry._id ?? key);
		if (!ref || (tableId !== undefined && ref.tableId !== tableId)) continue;
		const event: ChangeEvent = isCreated(ref, entry) ? 'created' : 'updated';
		changes.set(`${ref.tableId}${ref.recordId}`, { event, ...ref, entry });
	}
	for (const removed of feed.removes ?? []) {
		const ref = parseRecordRef(removed);
		if (!ref || (tableId !== undefined && ref.tableId !== tableId)) continue;
		// A record both removed and in `updates` was brought back (an upsert may reuse an id): it exists.
		const key = `${ref.tableId}${ref.recordId}`;
		if (!changes.has(key)) changes.set(key, { event: 'deleted', ...ref });
	}
	return [...changes.values()].sort(
		(a, b) => compareTableIds(a.tableId, b.tableId) || a.recordId - b.recordId,
	);
}

/** Ninox hands table ids out as A < B < … < Z < AA. */
function compareTableIds(a: string, b: string): number {
	return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export type FieldKeys = 'name' | 'id';

export interface ReadableOptions {
	/** Key `fields` by field name (default) or by field id. */
	fieldKeys?: FieldKeys;
	/** Add the feed's entry as Ninox sent it under `change`. */
	includeRaw?: boolean;
}

/** Table schemas by table id, with their field lookups. */
export class SchemaIndex {
	private readonly tables = new Map<string, FieldMap>();

	constructor(tables: NinoxTable[]) {
		for (const table of tables) this.tables.set(table.id, new FieldMap(table));
	}

	table(tableId: string): FieldMap | undefined {
		return this.tables.get(tableId);
	}
}

/** Epoch milliseconds → ISO 8601 (UTC); null when Ninox does not know the time (old records have no `_cd`). */
export function isoTimestamp(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
	if (typeof value === 'string' && value.trim() !== '') {
		// Upsert answers carry Ninox's zone-less UTC strings; read them as UTC.
		const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
		return Number.isNaN(ms) ? null : new Date(ms).toISOString();
	}
	return null;
}

function choiceCaption(field: NinoxField, id: unknown): unknown {
	const choice = field.choices?.find((candidate) => String(candidate.id) === String(id));
	return choice ? choice.caption : id;
}

/**
 * A feed value as the records endpoint shows it: choice ids → captions, date and date+time epoch ms → Ninox's
 * "2021-01-23" / "2021-01-23T12:30:00" (UTC, no zone). Anything the schema does not describe stays as sent.
 */
export function readableValue(field: NinoxField | undefined, value: unknown): unknown {
	if (!field || value === null || value === undefined) return value;
	switch (field.type) {
		case 'choice':
			return field.choices?.length ? choiceCaption(field, value) : value;
		case 'multi':
			if (!field.choices?.length) return value;
			return Array.isArray(value) ? value.map((id) => choiceCaption(field, id)) : choiceCaption(field, value);
		case 'date':
			return typeof value === 'number' && Number.isFinite(value) ? new Date(value).toISOString().slice(0, 10) : value;
		case 'datetime':
			return typeof value === 'number' && Number.isFinite(value) ? new Date(value).toISOString().slice(0, 19) : value;
		default:
			return value;
	}
}

/** The entry's field values (every key not starting with "_"), readable and keyed by name or id. */
export function readableFields(entry: ChangeEntry, fieldMap: FieldMap | undefined, fieldKeys: FieldKeys = 'name'): IDataObject {
	const fields: IDataObject = {};
	for (const [fieldId, value] of Object.entries(entry)) {
		if (fieldId.startsWith('_')) continue;
		const field = fieldMap?.byFieldId(fieldId);
		// A field the schema leaves out (e.g. a formula) keeps its id as its name.
		const key = fieldKeys === 'id' ? fieldId : (field?.name ?? fieldId);
		fields[key] = readableValue(field, value) as IDataObject[string];
	}
	return fields;
}

/**
 * One output item for a changed record: event, table, record id, the feed's sequence, times and fields.
 * Deleted records carry what is known of them: the ids.
 */
export function readableChange(
	change: RecordChange,
	sequence: number,
	schemas: SchemaIndex,
	options: ReadableOptions = {},
): IDataObject {
	const fieldMap = schemas.table(change.tableId);
	const item: IDataObject = {
		event: change.event,
		tableId: change.tableId,
		tableName: fieldMap?.table.name ?? null,
		recordId: change.recordId,
		sequence,
	};
	if (change.entry) {
		item.createdAt = isoTimestamp(change.entry._cd);
		item.modifiedAt = isoTimestamp(change.entry._md);
		item.fields = readableFields(change.entry, fieldMap, options.fieldKeys);
		if (options.includeRaw) item.change = change.entry as IDataObject;
	} else if (options.includeRaw) {
		// `removes` names a deleted record and nothing more.
		item.change = { _id: `${change.tableId}${change.recordId}` };
	}
	return item;
}
