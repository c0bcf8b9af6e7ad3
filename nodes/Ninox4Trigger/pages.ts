/** Finding the end of an offset list without reading every page. */

export interface Page<T> {
	rows: T[];
	hasMore: boolean;
}

export interface LastPage<T> {
	/** The last page's index (its offset is index × page size) and its rows. */
	index: number;
	rows: T[];
	/** Rows in the whole list. */
	total: number;
}

/**
 * The last page of a list read by `offset` and how many rows the list holds, in about 2·log₂(pages) reads instead
 * of one per page: the page index doubles (1, 3, 7, 15, …) until a page ends the list or lies past it, then the gap
 * is halved. `read(offset)` reads one page of `pageSize` rows.
 */
export async function findLastPage<T>(read: (offset: number) => Promise<Page<T>>, pageSize: number): Promise<LastPage<T>> {
	const pages = new Map<number, Page<T>>();
	const at = async (index: number): Promise<Page<T>> => {
		let page = pages.get(index);
		if (!page) {
			page = await read(index * pageSize);
			pages.set(index, page);
		}
		return page;
	};
	const ending = (index: number, page: Page<T>): LastPage<T> => ({ index, rows: page.rows, total: index * pageSize + page.rows.length });

	const first = await at(0);
	if (!first.hasMore) return ending(0, first);
	/** A page known to be full with more after it, and one known to lie past the end. */
	let full = 0;
	let past: number | undefined;
	for (let index = 1; past === undefined; index = index * 2 + 1) {
		const page = await at(index);
		if (page.rows.length === 0) past = index;
		else if (!page.hasMore) return ending(index, page);
		else full = index;
	}
	while (past - full > 1) {
		const middle = Math.floor((full + past) / 2);
		const page = await at(middle);
		if (page.rows.length === 0) past = middle;
		else if (!page.hasMore) return ending(middle, page);
		else full = middle;
	}
	// Page `full` promised more, but the next one is empty (rows went away meanwhile): the list ends with `full`.
	return ending(full, await at(full));
}
