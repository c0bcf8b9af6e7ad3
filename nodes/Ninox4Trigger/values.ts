/**
 * The values of the changed records, in as few requests as Ninox 4 allows: it reads one record per request
 * (*ext.* `GET …/{t}/record/{id}`) or a page of 100 (`GET …/{t}/records`), and cannot filter by id.
 */
import type { IDataObject, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { TableRef } from '../Ninox4/helpers/schema';
import { ninox4Answer, ninox4List, ninox4Request, recordsPath, tablePath } from '../Ninox4/transport';
import { MAX_PAGE_SIZE, RECORD_SEGMENT } from '../Ninox4/transport/facts';
import { findLastPage } from './pages';

/**
 * The crossover between reading the changed records one by one and reading the whole table: the table's pages
 * are read when `pages × PAGE_READ_COST < changed records`. Both are metered API calls, and in time a page of 100
 * costs about one record read: at 20 ms latency one record read took 24.0 ms and one page of 100 (six fields)
 * 24.9 ms, 1.04 record reads (`npx ts-node --transpile-only test/bench/crossover.ts`, medians of 200). So the
 * request count decides, and a tie goes to the lighter record reads: 150 changed records of a table of 10 000
 * are read in 100 pages, 100 changed records in 100 record reads.
 */
export const PAGE_READ_COST = 1;

/** Whether reading the table's pages costs fewer requests than reading `changed` records one by one. */
export function readsWholeTable(changed: number, tableSize: number | undefined): boolean {
	return tableSize !== undefined && Math.max(1, Math.ceil(tableSize / MAX_PAGE_SIZE)) * PAGE_READ_COST < changed;
}

export interface ReadValues {
	/** Each asked-for record's values by field name; null when it no longer exists. */
	values: Map<string, IDataObject | null>;
	/** The table's record count, when the whole table was read. */
	tableSize?: number;
}

/** The values of the records `ids`, by per-record reads or by the table's pages, whichever takes fewer requests. */
export async function readValues(context: IPollFunctions, ref: TableRef, ids: string[], tableSize?: number): Promise<ReadValues> {
	const values = new Map<string, IDataObject | null>();
	if (readsWholeTable(ids.length, tableSize)) {
		const wanted = new Set(ids);
		const records = await ninox4List<{ id: unknown; values?: IDataObject }>(context, {
			path: recordsPath(ref.moduleName, ref.tableName),
		});
		const all = new Set<string>();
		for (const record of records) {
			const id = String(record.id);
			all.add(id);
			if (wanted.has(id)) values.set(id, record.values ?? {});
		}
		for (const id of ids) if (!values.has(id)) values.set(id, null);
		return { values, tableSize: all.size };
	}
	for (const id of ids) values.set(id, await readRecord(context, ref, id));
	return { values };
}

async function readRecord(context: IPollFunctions, ref: TableRef, id: string): Promise<IDataObject | null> {
	try {
		const record = await ninox4Request<{ values?: IDataObject }>(context, {
			method: 'GET',
			path: [...tablePath(ref.moduleName, ref.tableName), RECORD_SEGMENT, id],
		});
		return record?.values ?? {};
	} catch (error) {
		// Deleted since the feed was read: its deletion is in the next window.
		if (error instanceof NodeApiError && error.httpCode === '404') return null;
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
}

/** How many records the table holds, from a few pages (about 2·log₂ of its pages), not all of them. */
export async function countRecords(context: IPollFunctions, ref: TableRef): Promise<number> {
	const { total } = await findLastPage(async (offset) => {
		const answer = await ninox4Answer<unknown[]>(context, {
			method: 'GET',
			path: recordsPath(ref.moduleName, ref.tableName),
			query: { offset, limit: MAX_PAGE_SIZE },
		});
		return { rows: Array.isArray(answer.data) ? answer.data : [], hasMore: answer.page_info?.has_more === true };
	}, MAX_PAGE_SIZE);
	return total;
}
