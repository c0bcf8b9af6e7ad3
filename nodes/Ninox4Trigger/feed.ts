/**
 * The records change feed of one Ninox 4 table (*ext.* `GET …/{t}/records/changes`): one window of changes
 * `since` a time, pinned by page 1's `meta.asOf`, and the clear error for a table whose history is off.
 */
import type { IDataObject, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { TableRef } from '../Ninox4/helpers/schema';
import { tableLabel } from '../Ninox4/helpers/schema';
import type { Ninox4Answer } from '../Ninox4/transport';
import { ninox4Answer, ninox4Request, tablePath } from '../Ninox4/transport';
import { CHANGES_SEGMENTS, HISTORY_OFF_STATUS, HISTORY_SETTING_PATH, MAX_PAGE_SIZE } from '../Ninox4/transport/facts';
import type { Page } from './pages';

/**
 * The earliest `since` the trigger asks for, to read the whole feed (Fetch Test Event) or just learn the feed's
 * current `asOf` (first activation). Any time before Ninox 4 existed will do.
 */
export const FEED_START = '2000-01-01T00:00:00.000Z';

/** One entry of the feed: one change of one record. */
export interface FeedEntry {
	id: string;
	changeType: string;
	changedAt: string;
}

export interface FeedPage extends Page<FeedEntry> {
	/** The time the feed is complete up to: the next `since`. */
	asOf: string;
}

export interface FeedWindow {
	entries: FeedEntry[];
	asOf: string;
}

interface FeedQuery {
	since: string;
	/** Page 1's `meta.asOf`, for pages 2+ (the window stays the same while it is read). */
	asOf?: string;
	offset: number;
	limit: number;
}

function isEntry(value: unknown): value is { id: string | number; changeType?: unknown; changedAt: string } {
	if (typeof value !== 'object' || value === null) return false;
	const { id, changedAt } = value as IDataObject;
	return (typeof id === 'string' || typeof id === 'number') && typeof changedAt === 'string' && !Number.isNaN(Date.parse(changedAt));
}

/** Reads one page of the feed; a table without history gets an error that says where to turn it on. */
export async function readFeedPage(context: IPollFunctions, ref: TableRef, query: FeedQuery): Promise<FeedPage> {
	let answer: Ninox4Answer<unknown>;
	try {
		answer = await ninox4Answer<unknown>(context, {
			method: 'GET',
			path: [...tablePath(ref.moduleName, ref.tableName), ...CHANGES_SEGMENTS],
			query: { since: query.since, asOf: query.asOf, offset: query.offset, limit: query.limit },
		});
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === String(HISTORY_OFF_STATUS) && (await historyIsOff(context, ref))) {
			throw historyOffError(context, ref);
		}
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
	const asOf = answer.meta?.asOf;
	if (!Array.isArray(answer.data) || typeof asOf !== 'string' || Number.isNaN(Date.parse(asOf))) {
		throw new NodeOperationError(context.getNode(), `Ninox 4 answered the change feed of table ${tableLabel(ref)} without a list of changes and meta.asOf`, {
			description: 'The answer is not a Ninox 4 change feed. Check the Base URL in the Ninox 4 credential: a proxy may be answering.',
		});
	}
	const entries = answer.data.filter(isEntry).map((entry) => ({
		id: String(entry.id),
		changeType: String(entry.changeType ?? ''),
		changedAt: entry.changedAt,
	}));
	return { rows: entries, hasMore: answer.page_info?.has_more === true, asOf };
}

/** Every change since `since`, up to page 1's `asOf`: one request when nothing changed. */
export async function readWindow(context: IPollFunctions, ref: TableRef, since: string): Promise<FeedWindow> {
	const first = await readFeedPage(context, ref, { since, offset: 0, limit: MAX_PAGE_SIZE });
	const entries = [...first.rows];
	for (let page = first, offset = MAX_PAGE_SIZE; page.hasMore; offset += MAX_PAGE_SIZE) {
		page = await readFeedPage(context, ref, { since, asOf: first.asOf, offset, limit: MAX_PAGE_SIZE });
		if (page.rows.length === 0) break;
		entries.push(...page.rows);
	}
	return { entries, asOf: first.asOf };
}

/** Where the feed stands now (its `asOf`), with one small request. */
export async function feedPosition(context: IPollFunctions, ref: TableRef): Promise<string> {
	return (await readFeedPage(context, ref, { since: FEED_START, offset: 0, limit: 1 })).asOf;
}

/** Asks the table itself whether its history is off (the 400 may have another cause). */
async function historyIsOff(context: IPollFunctions, ref: TableRef): Promise<boolean> {
	try {
		const table = await ninox4Request<IDataObject>(context, { method: 'GET', path: tablePath(ref.moduleName, ref.tableName) });
		return table?.hasHistory === false;
	} catch {
		return false;
	}
}

function historyOffError(context: IPollFunctions, ref: TableRef): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`Table "${ref.tableName}" of module "${ref.moduleName}" keeps no history, so its changes cannot be followed`,
		{
			description:
				`Ninox 4 lists a table's record changes only while its history is on. In Ninox 4 (go.ninox.com) ${HISTORY_SETTING_PATH}, ` +
				'then activate the workflow again. The trigger never changes the table itself; changes made while the history was off are not in the feed.',
		},
	);
}
