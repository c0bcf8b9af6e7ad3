/** From the feed's entries (one per change) to one change per record, with its event. */
import type { ChangeEvent } from '../shared/trigger';
import { CHANGE_TYPE_STEMS } from '../Ninox4/transport/facts';
import type { FeedEntry } from './feed';

export interface RecordChange {
	id: string;
	event: ChangeEvent;
	/** The record's latest change in the window. */
	changedAt: string;
	/** Created in the window (a deleted one then never existed for the previous poll). */
	born: boolean;
}

/** An entry's identity, as the contract advises to de-duplicate by: (id, changedAt). */
export function entryKey(entry: FeedEntry): string {
	return `${entry.id}@${Date.parse(entry.changedAt)}`;
}

function kindOf(entry: FeedEntry): ChangeEvent {
	if (CHANGE_TYPE_STEMS.created.test(entry.changeType)) return 'created';
	if (CHANGE_TYPE_STEMS.deleted.test(entry.changeType)) return 'deleted';
	return 'updated';
}

/**
 * One change per record, in the order of their latest changes: `deleted` when the record is gone at the end of
 * the window (also when it was created in it), else `created` when it was created in the window (however often
 * it was edited after), else `updated`. Entries in `skip` (handled by the previous poll) and repeats are left out.
 */
export function recordChanges(entries: FeedEntry[], skip: ReadonlySet<string>): RecordChange[] {
	const seen = new Set(skip);
	const byRecord = new Map<string, { entries: FeedEntry[]; last: number }>();
	for (const entry of entries) {
		const key = entryKey(entry);
		if (seen.has(key)) continue;
		seen.add(key);
		const at = Date.parse(entry.changedAt);
		const record = byRecord.get(entry.id) ?? { entries: [], last: at };
		record.entries.push(entry);
		record.last = Math.max(record.last, at);
		byRecord.set(entry.id, record);
	}
	const changes: Array<RecordChange & { at: number }> = [];
	for (const [id, { entries: own, last }] of byRecord) {
		own.sort((a, b) => Date.parse(a.changedAt) - Date.parse(b.changedAt));
		const kinds = own.map(kindOf);
		const latest = own[own.length - 1];
		const born = kinds.includes('created');
		const event: ChangeEvent = kinds[kinds.length - 1] === 'deleted' ? 'deleted' : born ? 'created' : 'updated';
		changes.push({ id, event, changedAt: latest.changedAt, born, at: last });
	}
	return changes
		.sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id))
		.map(({ at: _at, ...change }) => change);
}

/** The keys of the entries at exactly `asOf`: a next window that includes its `since` would show them again. */
export function keysAt(entries: FeedEntry[], asOf: string): string[] {
	const end = Date.parse(asOf);
	return entries.filter((entry) => Date.parse(entry.changedAt) >= end).map(entryKey);
}

/** How the window changed the table's record count: +1 per record created and kept, −1 per record removed. */
export function countChange(changes: RecordChange[]): number {
	let delta = 0;
	for (const change of changes) {
		if (change.event === 'created') delta++;
		else if (change.event === 'deleted' && !change.born) delta--;
	}
	return delta;
}
