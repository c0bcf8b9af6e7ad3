/** What Query and Execute share: the script parameter, result options, and turning a script's answer into items. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { chunk, ninoxRequest, ninoxRequestAllPages, recordPath, tablePath } from '../../transport';
import { asNodeError } from '../errors';
import { outputOption, simplifyRecord } from '../record/shared';

export const scriptParameter: INodeProperties = {
	displayName: 'Script',
	name: 'script',
	type: 'string',
	typeOptions: { rows: 6 },
	default: '',
	required: true,
	placeholder: "(select Contact where 'Last Name' = \"Smith\").'First Name'",
	description: 'The Ninox script to run. It is sent exactly as written: quotes, line breaks and any characters.',
};

export const fullRecordsOption: INodeProperties = {
	displayName: 'Return Records As Full Records',
	name: 'fullRecords',
	type: 'boolean',
	default: true,
	description:
		'Whether to replace record references in the result (such as "A12") with the full records, their fields by name',
};

export const splitIntoItemsOption: INodeProperties = {
	displayName: 'Split Into Items',
	name: 'splitIntoItems',
	type: 'boolean',
	default: true,
	description:
		'Whether to output each element of an array result as an item of its own, instead of one item holding the whole array',
};

/** How full records look: as in the record operations. */
export const recordOutputOption: INodeProperties = {
	...outputOption,
	description: 'The shape of each record in the output, with Return Records As Full Records',
};

export interface ResultOptions {
	fullRecords?: boolean;
	output?: string;
	splitIntoItems?: boolean;
}

/** The script text, unchanged (no trimming: a script's own whitespace is the user's). */
export function readScript(this: IExecuteFunctions, itemIndex: number): string {
	const script = this.getNodeParameter('script', itemIndex, '') as unknown;
	if (typeof script !== 'string' || script.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'The Script parameter is empty', {
			itemIndex,
			description: 'Enter the Ninox script to run, e.g. (select Contact).\'First Name\'',
		});
	}
	return script;
}

/** A record reference as Ninox scripts return it: table id (letters) followed by the record id, e.g. "A12". */
const RECORD_REFERENCE = /^([A-Z]{1,3})([1-9]\d*)$/;

/**
 * A script's answer as output items. Objects stay as they are; anything else (number, text, boolean, null, an
 * unsplit array) becomes `{ result: value }`. Record references are replaced by the records when asked.
 */
export async function scriptResultItems(
	this: IExecuteFunctions,
	itemIndex: number,
	database: [string, string],
	result: unknown,
	options: ResultOptions,
): Promise<INodeExecutionData[]> {
	const shape = options.output === 'raw' ? (record: IDataObject) => record : simplifyRecord;
	const resolved = options.fullRecords ? await expandRecordReferences.call(this, itemIndex, database, result, shape) : result;
	const values = options.splitIntoItems && Array.isArray(resolved) ? resolved : [resolved];
	return values.map((value) => ({ json: asJson(value) }));
}

function asJson(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: { result: value as IDataObject[keyof IDataObject] };
}

/** Record ids are read in batches of this many per request (`ids=`), which keeps the URL short. */
const IDS_PER_REQUEST = 200;

/** Replaces every record reference in `result` (itself or an element of an array) by the record it names. */
async function expandRecordReferences(
	this: IExecuteFunctions,
	itemIndex: number,
	[team, database]: [string, string],
	result: unknown,
	shape: (record: IDataObject) => IDataObject,
): Promise<unknown> {
	const values = Array.isArray(result) ? result : [result];
	const wanted = new Map<string, Set<number>>();
	for (const value of values) {
		const reference = parseReference(value);
		if (!reference) continue;
		const ids = wanted.get(reference.table) ?? new Set<number>();
		ids.add(reference.id);
		wanted.set(reference.table, ids);
	}
	if (wanted.size === 0) return result;

	const records = new Map<string, IDataObject>();
	for (const [table, idSet] of wanted) {
		const ids = [...idSet];
		if (ids.length === 1) {
			const record = await getRecord.call(this, itemIndex, team, database, table, ids[0]);
			if (record) records.set(`${table}${ids[0]}`, record);
			continue;
		}
		for (const batch of chunk(ids, IDS_PER_REQUEST)) {
			const found = await ninoxRequestAllPages<IDataObject>(this, {
				path: [...tablePath(team, database, table), 'records'],
				query: { ids: batch.join(',') },
				itemIndex,
			});
			for (const record of found) records.set(`${table}${String(record.id)}`, record);
		}
	}

	const missing = [...wanted].flatMap(([table, ids]) => [...ids].map((id) => `${table}${id}`)).filter((key) => !records.has(key));
	if (missing.length) {
		throw new NodeOperationError(
			this.getNode(),
			`The script's result references ${missing.length === 1 ? 'a record' : 'records'} that could not be read: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
			{
				itemIndex,
				description:
					'The record may have been deleted since the script ran. Turn off "Return Records As Full Records" to get the references themselves.',
			},
		);
	}
	const expand = (value: unknown) => {
		const reference = parseReference(value);
		return reference ? shape(records.get(`${reference.table}${reference.id}`)!) : value;
	};
	return Array.isArray(result) ? result.map(expand) : expand(result);
}

function parseReference(value: unknown): { table: string; id: number } | undefined {
	const match = typeof value === 'string' ? RECORD_REFERENCE.exec(value) : null;
	return match ? { table: match[1], id: Number(match[2]) } : undefined;
}

/** One record, or undefined when Ninox has no such record (404). */
async function getRecord(
	this: IExecuteFunctions,
	itemIndex: number,
	team: string,
	database: string,
	table: string,
	id: number,
): Promise<IDataObject | undefined> {
	try {
		return await ninoxRequest<IDataObject>(this, {
			method: 'GET',
			path: recordPath(team, database, table, id),
			itemIndex,
		});
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
		throw asNodeError(this, error, itemIndex);
	}
}
