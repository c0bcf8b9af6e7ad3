/**
 * Batched writes: items are read into payloads per table, cut into batches (by count and by Ninox 4's 6 MB body
 * limit), one request each, and every answer handed back to its item in order. Ninox 4 applies a PATCH or DELETE
 * batch whole or not at all, so a failed batch fails exactly its items, each error naming the cause.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../../Ninox/actions/errors';
import { ItemResults } from '../../Ninox/actions/record/shared';
import type { SchemaCache, TableRef, TableSchema } from '../helpers/schema';
import { tableRefKey } from '../helpers/schema';
import { batchBySize, isInDoubt } from '../transport';
import { readTableRef } from './common';

export { ItemResults };

/** One record to write and the input item it belongs to. */
export interface WriteEntry<T> {
	itemIndex: number;
	payload: T;
}

export interface TableGroup<T> {
	ref: TableRef;
	schema?: TableSchema;
	entries: Array<WriteEntry<T>>;
}

/**
 * Reads every item into a payload for the table it names (by expression the table may differ per item). With
 * `schemas`, a table's fields are read once, at its first item, and handed to `readPayload`. An item that cannot
 * be read fails alone; the others go on.
 */
export async function groupByTable<T>(
	context: IExecuteFunctions,
	itemCount: number,
	results: ItemResults,
	readPayload: (itemIndex: number, schema: TableSchema | undefined, ref: TableRef) => T,
	schemas?: SchemaCache,
): Promise<Array<TableGroup<T>>> {
	const groups = new Map<string, TableGroup<T>>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const ref = readTableRef.call(context, itemIndex);
			const key = tableRefKey(ref);
			let group = groups.get(key);
			if (!group) {
				group = { ref, schema: schemas && (await schemas.get(ref, itemIndex)), entries: [] };
				groups.set(key, group);
			}
			group.entries.push({ itemIndex, payload: readPayload(itemIndex, group.schema, ref) });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}
	return [...groups.values()];
}

export interface BatchPlan {
	/** Most records in one request (the Batch Size option). */
	maxCount: number;
	/** Whether Ninox 4 applies the batch whole or not at all (PATCH, DELETE, batch field writes). */
	transactional: boolean;
}

/**
 * Sends the entries in batches and gives each item the answer at its position. A failed batch fails its items
 * (under continueOnFail as error items naming the cause and the batch); without continueOnFail the error stops
 * the node, saying which items were written before it.
 */
export async function sendBatches<T>(
	context: IExecuteFunctions,
	entries: Array<WriteEntry<T>>,
	plan: BatchPlan,
	results: ItemResults,
	send: (payloads: T[], itemIndexes: number[]) => Promise<IDataObject[]>,
): Promise<void> {
	const written: number[] = [];
	for (const batch of batchBySize(entries, (entry) => entry.payload, plan.maxCount)) {
		const itemIndexes = batch.map((entry) => entry.itemIndex);
		let answers: IDataObject[];
		try {
			answers = await send(
				batch.map((entry) => entry.payload),
				itemIndexes,
			);
		} catch (error) {
			const described = error as { description?: string | null };
			const items = describeItems(itemIndexes);
			const outcome = isInDoubt(error)
				? ''
				: plan.transactional
					? ` Ninox 4 applies a batch whole or not at all: none of its ${batch.length} records (${items}) was written.`
					: ` The batch held ${batch.length} records (${items}).`;
			const before = written.length ? ` ${written.length} records (${describeItems(written)}) were written before this batch.` : '';
			if (error instanceof Error && 'description' in error) {
				described.description = `${described.description ?? ''}${outcome}${context.continueOnFail() ? '' : before}`.trim();
			}
			if (!context.continueOnFail()) throw asNodeError(context, error, itemIndexes[0]);
			const extra: IDataObject = isInDoubt(error)
				? { inDoubt: true }
				: plan.transactional
					? { rolledBack: true, batchItems: items }
					: { batchItems: items };
			for (const itemIndex of itemIndexes) results.fail(itemIndex, error, extra);
			continue;
		}
		batch.forEach((entry, position) => results.add(entry.itemIndex, answers[position] ?? {}));
		written.push(...itemIndexes);
	}
}

/** "item 3" or "items 3–7": the first and last item of a batch (batches follow the input order). */
function describeItems(itemIndexes: number[]): string {
	const first = itemIndexes.reduce((a, b) => Math.min(a, b));
	const last = itemIndexes.reduce((a, b) => Math.max(a, b));
	return first === last ? `item ${first}` : `items ${first}–${last}`;
}
