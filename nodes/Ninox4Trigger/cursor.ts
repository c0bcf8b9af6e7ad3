/**
 * Where the trigger stands in a table's change feed, kept in the workflow's static data as plain JSON (so it
 * survives being saved, a restart and a move to another worker), written in one step after a poll succeeded.
 */
import type { IDataObject } from 'n8n-workflow';

export interface Cursor {
	/** The table followed (`module/table`): a cursor saved for another table is not reused. */
	table: string;
	/** The feed's `meta.asOf` at the last successful poll: the next poll's `since`. */
	asOf: string;
	/** The (id, changedAt) keys of changes at exactly `asOf`, already handled: skipped should `since` be inclusive. */
	seen: string[];
	/** The table's record count at `asOf` as far as the trigger knows (it chooses how values are read); -1: unknown. */
	records: number;
}

/** The saved cursor, if it belongs to this table and is intact. */
export function savedCursor(staticData: IDataObject, table: string): Cursor | undefined {
	const { table: savedTable, asOf, seen, records } = staticData;
	if (savedTable !== table || typeof asOf !== 'string' || Number.isNaN(Date.parse(asOf))) return undefined;
	return {
		table,
		asOf,
		seen: Array.isArray(seen) ? seen.filter((key): key is string => typeof key === 'string') : [],
		records: typeof records === 'number' && Number.isInteger(records) && records >= 0 ? records : -1,
	};
}

export function saveCursor(staticData: IDataObject, cursor: Cursor): void {
	staticData.table = cursor.table;
	staticData.asOf = cursor.asOf;
	staticData.seen = [...cursor.seen];
	staticData.records = cursor.records;
}

/** The record count known to the cursor, or undefined. */
export function knownSize(cursor: Cursor): number | undefined {
	return cursor.records >= 0 ? cursor.records : undefined;
}
