/** What the three change operations share: the "Since Sequence" and "Output" parameters and the output forms. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	createdSinceSequenceRule,
	isChangeFeed,
	readableChange,
	recordChanges,
	SchemaIndex,
	type ChangeFeed,
} from '../../helpers/changes';
import type { NinoxTable } from '../../helpers/schema';
import { ninoxRequest } from '../../transport';

export const changeParameters: INodeProperties[] = [
	{
		displayName: 'Since Sequence',
		name: 'sinceSequence',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 0 },
		description:
			'Return what changed after this database sequence number (0 = everything). Each result carries the sequence to pass next time.',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'readable',
		options: [
			{
				name: 'Raw',
				value: 'raw',
				description: 'The change feed as Ninox sends it, as one item (field IDs, choice IDs, dates in epoch ms)',
			},
			{
				name: 'Readable',
				value: 'readable',
				description:
					'One item per changed record: event, table, record ID, times and fields by name. "Created" means created after Since Sequence and not edited since (or Since Sequence is 0); other changed records are "updated".',
			},
		],
	},
];

export function sinceSequence(this: IExecuteFunctions, itemIndex: number): number {
	const value = this.getNodeParameter('sinceSequence', itemIndex, 0) as unknown;
	const sequence = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) {
		throw new NodeOperationError(this.getNode(), `Since Sequence must be a whole number from 0, not "${String(value)}"`, {
			itemIndex,
			description: 'Use 0 for all changes, or the "sequence" of an earlier result to get only what changed since.',
		});
	}
	return sequence;
}

export interface ChangeScope {
	path: Array<string | number>;
	/** Only this table's records (table and record feeds). */
	tableId?: string;
	/** The schemas needed to name the fields; fetched only when there is a change to show. */
	loadTables: () => Promise<NinoxTable[]>;
}

/** Reads the feed of `scope` since the item's "Since Sequence" and returns it raw or one item per record. */
export async function readChanges(this: IExecuteFunctions, itemIndex: number, scope: ChangeScope): Promise<IDataObject[]> {
	const since = sinceSequence.call(this, itemIndex);
	const output = this.getNodeParameter('output', itemIndex, 'readable') as string;
	const feed = await ninoxRequest<unknown>(this, {
		method: 'GET',
		path: [...scope.path, 'changes'],
		query: { sinceSq: since },
		itemIndex,
	});
	if (!isChangeFeed(feed)) {
		throw new NodeOperationError(this.getNode(), 'Ninox answered the change request with something other than a change feed', {
			itemIndex,
			description: 'The answer has no "seq". Check the URL in the Ninox credential: a proxy may be answering.',
		});
	}
	if (output === 'raw') return [feed as IDataObject];
	return await readableChanges(feed, since, scope);
}

async function readableChanges(feed: ChangeFeed, since: number, scope: ChangeScope): Promise<IDataObject[]> {
	const changes = recordChanges(feed, createdSinceSequenceRule(since), scope.tableId);
	if (changes.length === 0) return [];
	const schemas = new SchemaIndex(await scope.loadTables());
	return changes.map((change) => readableChange(change, feed.seq, schemas));
}
