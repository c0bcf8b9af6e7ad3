import type {
	IDataObject,
	INodeExecutionData,
	JsonObject,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { LocatorName } from '../Ninox/actions/common';
import { databaseLocator, locatorIds, tableLocator, teamLocator } from '../Ninox/actions/common';
import type { ChangeEvent, ChangeFeed, CreationMarks, ReadableOptions, RecordChange } from '../Ninox/helpers/changes';
import {
	CHANGE_EVENTS,
	carriesNextRids,
	createdSinceCursorRule,
	createdWhenNeverEdited,
	isChangeFeed,
	latestChangeTime,
	marksAfter,
	nextRidsOf,
	readableChange,
	recordChanges,
	SchemaIndex,
} from '../Ninox/helpers/changes';
import type { NinoxTable } from '../Ninox/helpers/schema';
import { getTable, getTables } from '../Ninox/helpers/schema';
import { listSearch } from '../Ninox/methods';
import { databasePath, ninoxRequest, recordPath, tablePath } from '../Ninox/transport';
import { timeoutOption } from '../shared/requestOptions';
import { eventsParameter, guardPoll, readEvents } from '../shared/trigger';

/**
 * A `sinceSq` above any real sequence: the feed then lists no changes but still reports the current `seq` and
 * `nextRid(s)`, the cheapest way to learn where the database stands. Kept within 32 bits for any integer parser.
 */
const CURRENT_STATE_SINCE = 2_147_483_647;

/** Manual mode shows up to this many of the latest records. */
const SAMPLE_SIZE = 3;

/** Manual mode looks back this many sequences at first, and this many times further each round after. */
const SAMPLE_WINDOW = 8;

interface Scope {
	/** Identifies what the cursor follows; a cursor saved for another scope is not reused. */
	key: string;
	teamId: string;
	databaseId: string;
	/** Set for the "One Table" scope. */
	tableId?: string;
	/** The feed's owner: …/databases/{db} or …/tables/{tid}. */
	path: string[];
	/** For messages. */
	label: string;
}

/**
 * Where the trigger stands in the feed, in the workflow's static data (plain JSON, so it survives being saved,
 * a restart and a move to another worker): the last sequence handled, and what tells created from updated then
 * (each table's next record id; the latest change time, for feeds without nextRids).
 */
interface Cursor extends CreationMarks {
	scope: string;
	sequence: number;
}

function locatorId(context: IPollFunctions, name: LocatorName): string {
	// Read together, so that a pasted URL must agree with the other locators (the rule of actions/common.ts).
	const names: LocatorName[] =
		context.getNodeParameter('scope', 'database') === 'table' ? ['team', 'database', 'table'] : ['team', 'database'];
	return locatorIds(context, names, (other) => context.getNodeParameter(other, ''))[name];
}

function readScope(context: IPollFunctions): Scope {
	const teamId = locatorId(context, 'team');
	const databaseId = locatorId(context, 'database');
	if (context.getNodeParameter('scope', 'database') === 'table') {
		const tableId = locatorId(context, 'table');
		return {
			key: `table:${teamId}/${databaseId}/${tableId}`,
			teamId,
			databaseId,
			tableId,
			path: tablePath(teamId, databaseId, tableId),
			label: `table ${tableId} of database ${databaseId}`,
		};
	}
	return {
		key: `database:${teamId}/${databaseId}`,
		teamId,
		databaseId,
		path: databasePath(teamId, databaseId),
		label: `database ${databaseId}`,
	};
}

function readOutputOptions(context: IPollFunctions): ReadableOptions {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		fieldKeys: options.fieldKeys === 'id' ? 'id' : 'name',
		includeRaw: options.includeRawChange === true,
	};
}

/** The saved cursor, if it belongs to this scope and is intact. */
function savedCursor(staticData: IDataObject, scope: Scope): Cursor | undefined {
	const { scope: savedScope, sequence, nextRids, allTables, time } = staticData;
	if (savedScope !== scope.key || typeof sequence !== 'number' || !Number.isFinite(sequence)) return undefined;
	const rids: Record<string, number> = {};
	if (typeof nextRids === 'object' && nextRids !== null) {
		for (const [tableId, nextRid] of Object.entries(nextRids)) {
			if (typeof nextRid === 'number' && Number.isFinite(nextRid)) rids[tableId] = nextRid;
		}
	}
	return {
		scope: savedScope,
		sequence,
		nextRids: rids,
		// Cursors saved before `allTables` existed came from feeds with nextRids.
		allTables: typeof allTables === 'boolean' ? allTables : Object.keys(rids).length > 0,
		...(typeof time === 'number' && Number.isFinite(time) ? { time } : {}),
	};
}

/** Written in one step at the end of a poll, so a failed poll leaves the cursor where it was. */
function saveCursor(staticData: IDataObject, cursor: Cursor): void {
	staticData.scope = cursor.scope;
	staticData.sequence = cursor.sequence;
	staticData.nextRids = { ...cursor.nextRids };
	staticData.allTables = cursor.allTables;
	if (cursor.time === undefined) delete staticData.time;
	else staticData.time = cursor.time;
}

async function readFeed(context: IPollFunctions, scope: Scope, sinceSq: number): Promise<ChangeFeed> {
	const feed = await ninoxRequest<unknown>(context, {
		method: 'GET',
		path: [...scope.path, 'changes'],
		query: { sinceSq },
	});
	if (!isChangeFeed(feed)) {
		throw new NodeOperationError(context.getNode(), `Ninox answered the changes of ${scope.label} without a sequence`, {
			description: 'The answer is not a Ninox change feed. Check the URL in the Ninox credential: a proxy may be answering.',
		});
	}
	return feed;
}

async function readSchemas(context: IPollFunctions, scope: Scope): Promise<SchemaIndex> {
	const tables: NinoxTable[] = scope.tableId
		? [await getTable(context, scope.teamId, scope.databaseId, scope.tableId)]
		: await getTables(context, scope.teamId, scope.databaseId);
	return new SchemaIndex(tables);
}

/**
 * How the feed went backwards, if it did: the sequence fell below the cursor, or a table hands out lower record ids
 * than before (a restored database whose sequence has caught up again). Undefined when it did not.
 */
function backwardsMove(cursor: Cursor, next: Cursor): string | undefined {
	if (next.sequence < cursor.sequence) return `went back from sequence ${cursor.sequence} to ${next.sequence}`;
	for (const [tableId, nextRid] of Object.entries(next.nextRids)) {
		const before = cursor.nextRids[tableId];
		if (before !== undefined && nextRid < before) {
			return `went back: table ${tableId} hands out record ID ${nextRid} again (it was at ${before})`;
		}
	}
	return undefined;
}

/**
 * The scope's most recent changes, at least `wanted` of those `keep` accepts (or all there are). It reads the feed
 * over a growing window of recent sequences until it holds enough (or reaches the start), so a large database is
 * never read in full for a few. A record is `created` when it was never edited since (the feed keeps no history).
 */
async function recentChanges(
	context: IPollFunctions,
	scope: Scope,
	seq: number,
	wanted: number,
	keep: (change: RecordChange) => boolean,
): Promise<{ feed: ChangeFeed; changes: RecordChange[] }> {
	for (let span = SAMPLE_WINDOW; ; span *= SAMPLE_WINDOW) {
		const since = Math.max(0, seq - span);
		const feed = await readFeed(context, scope, since);
		const changes = recordChanges(feed, createdWhenNeverEdited, scope.tableId).filter(keep);
		if (changes.length >= wanted || since === 0) return { feed, changes };
	}
}

/** A record's own sequence (its latest change), from the record itself; null when it is gone. */
async function recordSequence(context: IPollFunctions, scope: Scope, change: RecordChange): Promise<number | null> {
	if (change.event === 'deleted') return null;
	try {
		const record = await ninoxRequest<{ sequence?: unknown }>(context, {
			method: 'GET',
			path: recordPath(scope.teamId, scope.databaseId, change.tableId, change.recordId),
		});
		return typeof record?.sequence === 'number' ? record.sequence : null;
	} catch (error) {
		// Deleted since the feed was read: it has no sequence any more.
		if (error instanceof NodeApiError && error.httpCode === '404') return null;
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
}

/**
 * "Fetch Test Event": the latest few changes of the chosen events, in the shape a poll emits, each with its
 * record's own sequence, without touching the cursor.
 */
async function sampleItems(
	context: IPollFunctions,
	scope: Scope,
	events: Set<ChangeEvent>,
	options: ReadableOptions,
): Promise<INodeExecutionData[]> {
	const { seq } = await readFeed(context, scope, CURRENT_STATE_SINCE);
	const { changes } = await recentChanges(context, scope, seq, SAMPLE_SIZE, (change) => events.has(change.event));
	if (changes.length === 0) {
		const which = events.size === CHANGE_EVENTS.length ? '' : `${[...events].join(' or ')} `;
		throw new NodeOperationError(context.getNode(), `There are no ${which}records in ${scope.label} to show as a test event`, {
			description: 'Make such a change in Ninox (or choose more Events), then fetch the test event again.',
		});
	}
	const latest = changes
		.sort(
			(a, b) =>
				Number(b.entry?._md ?? 0) - Number(a.entry?._md ?? 0) ||
				b.tableId.localeCompare(a.tableId) ||
				b.recordId - a.recordId,
		)
		.slice(0, SAMPLE_SIZE);
	const schemas = await readSchemas(context, scope);
	const items: INodeExecutionData[] = [];
	for (const change of latest) {
		items.push({ json: readableChange(change, await recordSequence(context, scope, change), schemas, options) });
	}
	return items;
}

/**
 * The cursor at the scope's current state. When the feed does not tell the next record ids, the latest change
 * time stands in for them: it is read from the most recent change (0 when there has never been a record).
 */
async function currentCursor(context: IPollFunctions, scope: Scope): Promise<Cursor> {
	const feed = await readFeed(context, scope, CURRENT_STATE_SINCE);
	const cursor: Cursor = {
		scope: scope.key,
		sequence: feed.seq,
		nextRids: nextRidsOf(feed, scope.tableId),
		allTables: carriesNextRids(feed, scope.tableId),
	};
	if (cursor.allTables) return cursor;
	const { feed: recent } = await recentChanges(context, scope, feed.seq, 1, (change) => change.entry !== undefined);
	return { ...cursor, time: latestChangeTime(recent) ?? 0 };
}

export class NinoxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ninox Trigger',
		name: 'ninoxTrigger',
		icon: { light: 'file:ninox.svg', dark: 'file:ninox.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Ninox records are created, updated or deleted',
		defaults: { name: 'Ninox Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ninoxTokenApi', required: true }],
		properties: [
			teamLocator,
			databaseLocator,
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'options',
				noDataExpression: true,
				default: 'database',
				options: [
					{ name: 'One Table', value: 'table', description: 'Only the records of one table' },
					{ name: 'Whole Database', value: 'database', description: 'The records of every table' },
				],
			},
			{ ...tableLocator, displayOptions: { show: { scope: ['table'] } } },
			eventsParameter,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Field Keys',
						name: 'fieldKeys',
						type: 'options',
						default: 'name',
						description: 'How the fields of each record are keyed',
						options: [
							{ name: 'Field ID', value: 'id', description: 'Ninox field IDs (A, B, …), as in upserts and filters' },
							{ name: 'Field Name', value: 'name', description: 'The field names shown in Ninox' },
						],
					},
					{
						displayName: 'Include Raw Change Entry',
						name: 'includeRawChange',
						type: 'boolean',
						default: false,
						description:
							'Whether to add the record\'s entry of the Ninox change feed as sent (field IDs, choice IDs, epoch-ms dates) under "change"',
					},
					timeoutOption(
						'Seconds to wait for Ninox to answer a request. A read that gets no answer in time is tried again; a poll that still gets none fails and keeps its place.',
					),
				],
			},
		],
	};

	methods = { listSearch };

	/**
	 * Follows the change feed with a cursor (last sequence + each table's next record id) in static data:
	 * - first activation (or a new scope): learns the current state with one request and emits nothing;
	 * - each poll: one request when nothing changed; otherwise the schema once, then one item per changed record;
	 * - the cursor is written only after everything succeeded, so an error leaves it where it was;
	 * - n8n starts the next poll on schedule even while one is still running: a poll that finds the cursor moved
	 *   by another one meanwhile emits nothing and leaves it (that poll emitted those changes), so no change is
	 *   emitted twice and the cursor never moves back;
	 * - a feed that went backwards (database restored) resets the cursor to the current state and fails the poll
	 *   once with an explanation, because changes around the restore may have been missed or may come again.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const scope = readScope(this);
		const options = readOutputOptions(this);
		const events = readEvents(this);
		if (this.getMode() === 'manual') return [await sampleItems(this, scope, events, options)];

		const { staticData, overtaken } = guardPoll(this, 'Ninox Trigger');
		const cursor = savedCursor(staticData, scope);
		if (!cursor) {
			const current = await currentCursor(this, scope);
			if (!overtaken()) saveCursor(staticData, current);
			return null;
		}

		const feed = await readFeed(this, scope, cursor.sequence);
		const backwards = backwardsMove(cursor, { ...cursor, sequence: feed.seq, nextRids: nextRidsOf(feed, scope.tableId) });
		const all = recordChanges(feed, createdSinceCursorRule(cursor), scope.tableId);
		const next: Cursor = { scope: scope.key, sequence: feed.seq, ...marksAfter(cursor, feed, all, scope.tableId) };
		if (backwards) {
			if (overtaken()) return null;
			saveCursor(staticData, next);
			const message = `The change feed of ${scope.label} ${backwards}`;
			this.logger.warn(`Ninox Trigger: ${message}; following it from ${next.sequence} on`);
			throw new NodeOperationError(this.getNode(), message, {
				description:
					`The database was probably restored from a backup. The trigger now follows changes from sequence ${next.sequence} on; ` +
					'changes made around the restore may have been missed or may be announced again.',
			});
		}

		const changes = all.filter((change) => events.has(change.event));
		if (changes.length === 0) {
			if (!overtaken()) saveCursor(staticData, next);
			return null;
		}
		const schemas = await readSchemas(this, scope);
		if (overtaken()) return null;
		const items = changes.map((change) => ({ json: readableChange(change, feed.seq, schemas, options) }));
		saveCursor(staticData, next);
		return [items];
	}
}
