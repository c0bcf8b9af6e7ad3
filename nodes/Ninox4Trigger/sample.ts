/** "Fetch Test Event": the latest changed records of the chosen events, shaped as a poll emits them. */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TableRef } from '../Ninox4/helpers/schema';
import { tableLabel } from '../Ninox4/helpers/schema';
import { MAX_PAGE_SIZE } from '../Ninox4/transport/facts';
import type { ChangeEvent } from '../shared/trigger';
import { CHANGE_EVENTS } from '../shared/trigger';
import type { RecordChange } from './changes';
import { recordChanges } from './changes';
import { FEED_START, readFeedPage } from './feed';
import { changeItem } from './item';
import { findLastPage } from './pages';
import { readValues } from './values';

/** Manual mode shows up to this many of the latest records. */
export const SAMPLE_SIZE = 3;

/**
 * Reads the feed from its end backwards (its last page is found in a few requests, not by reading it all) until
 * SAMPLE_SIZE records whose latest change is one of `events` are found, then reads their values. The cursor in
 * the static data is not touched.
 */
export async function sampleItems(context: IPollFunctions, ref: TableRef, events: Set<ChangeEvent>): Promise<INodeExecutionData[]> {
	let asOf: string | undefined;
	const read = async (offset: number) => {
		const page = await readFeedPage(context, ref, { since: FEED_START, asOf, offset, limit: MAX_PAGE_SIZE });
		asOf ??= page.asOf;
		return page;
	};
	const last = await findLastPage(read, MAX_PAGE_SIZE);
	const latest = new Map<string, RecordChange>();
	const picked: RecordChange[] = [];
	for (let index = last.index, rows = last.rows; ; rows = (await read(--index * MAX_PAGE_SIZE)).rows) {
		for (const entry of [...rows].reverse()) {
			if (latest.has(entry.id)) continue;
			const [change] = recordChanges([entry], new Set());
			latest.set(entry.id, change);
			if (events.has(change.event)) picked.push(change);
			if (picked.length === SAMPLE_SIZE) break;
		}
		if (picked.length === SAMPLE_SIZE || index === 0) break;
	}
	if (picked.length === 0) {
		const which = events.size === CHANGE_EVENTS.length ? '' : `${[...events].join(' or ')} `;
		throw new NodeOperationError(context.getNode(), `There are no ${which}changes in table ${tableLabel(ref)} to show as a test event`, {
			description: 'Make such a change in Ninox 4 (or choose more Events), then fetch the test event again.',
		});
	}
	const { values } = await readValues(
		context,
		ref,
		picked.filter((change) => change.event !== 'deleted').map((change) => change.id),
	);
	return picked.map((change) => ({ json: changeItem(ref, change, values) }));
}
