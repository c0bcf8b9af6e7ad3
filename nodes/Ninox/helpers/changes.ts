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
 * A record whose creation is its latest change (`_cd` equals `_md`) is `created`: the feed lists it because that
 * change is newer than the feed's `sinceSq`, so its creation is too. A record created since and edited again is
 * `updated` (the feed keeps no history to tell).
 */
export const createdWhenNeverEdited: CreatedRule = (_ref, entry) =>
	typeof entry._cd === 'number' && typeof entry._md === 'number' && entry._cd === entry._md;

/**
 * The rule for a one-shot read since sequence `sinceSq`, where the tables' nextRids at that sequence are unknown.
 * Everything since 0 was created after sequence 0; otherwise `createdWhenNeverEdited`, so a record reported
 * `created` never existed before `sinceSq`.
 */
export function createdSinceSequenceRule(sinceSq: number): CreatedRule {
	return (ref, entry) => sinceSq <= 0 || createdWhenNeverEdited(ref, entry);
}

/** What a cursor knows to tell a record created since it from one updated since it. */
export interface CreationMarks {
	/** Each table's next record id at the cursor, as far as known. */
	nextRids: Record<string, number>;
	/** `nextRids` holds every table there was: one missing from it is new, and so are all its records. */
	allTables: boolean;
	/** The latest change the cursor covers, as Ninox timed it (epoch ms); undefined when unknown. */
	time?: number;
}

/**
 * The trigger's rule: a record id at or above its table's nextRid at the cursor was created since then. Feeds may
 * come without nextRid(s): for a table whose nextRid is not known, a record created (`_cd`) after the latest change
 * the cursor covers is new; with no time either, `createdWhenNeverEdited`.
 */
export function createdSinceCursorRule({ nextRids, allTables, time }: CreationMarks): CreatedRule {
	return (ref, entry) => {
		const nextRid = nextRids[ref.tableId];
		if (nextRid !== undefined) return ref.recordId >= nextRid;
		// A table no nextRid was known for had handed out no id yet (or did not exist): its records are new.
		if (allTables) return true;
		if (time !== undefined && typeof entry._cd === 'number') return entry._cd > time;
		return createdWhenNeverEdited(ref, entry);
	};
}

/** Does the feed tell the next record id (database feeds: of every table)? */
export function carriesNextRids(feed: ChangeFeed, tableId?: string): boolean {
	return tableId === undefined ? typeof feed.nextRids === 'object' && feed.nextRids !== null : typeof feed.nextRid === 'number';
}

/** The latest change time among the feed's entries (epoch ms), or undefined when it lists none with a time. */
export function latestChangeTime(feed: ChangeFeed): number | undefined {
	let latest: number | undefined;
	for (const entry of Object.values(feed.updates ?? {})) {
		const time = typeof entry === 'object' && entry !== null ? entry._md : undefined;
		if (typeof time === 'number' && Number.isFinite(time) && (latest === undefined || time > latest)) latest = time;
	}
	return latest;
}

/**
 * The marks after a feed: its own nextRid(s) where it tells them; for other tables the earlier ones, raised past
 * every record the feed shows was created; the latest change time it shows (or the earlier one).
 */
export function marksAfter(
	marks: CreationMarks,
	feed: ChangeFeed,
	changes: RecordChange[],
	tableId?: string,
): CreationMarks {
	const told = nextRidsOf(feed, tableId);
	const nextRids = { ...marks.nextRids, ...told };
	for (const change of changes) {
		if (change.event !== 'created' || told[change.tableId] !== undefined) continue;
		nextRids[change.tableId] = Math.max(nextRids[change.tableId] ?? 1, change.recordId + 1);
	}
	const latest = latestChangeTime(feed);
	const time = latest === undefined ? marks.time : Math.max(latest, marks.time ?? latest);
	return { nextRids, allTables: marks.allTables || carriesNextRids(feed, tableId), ...(time === undefined ? {} : { time }) };
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
	/** The feed's sequence; a sample's own record sequence; null where Ninox keeps none (a deleted record's). */
	sequence: number | null,
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
