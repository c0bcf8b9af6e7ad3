import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { databasePath, ninoxRequest } from '../../transport';
import { databaseIds, databaseLocator, optionsCollection, readOptions, teamLocator } from '../common';
import type { ResultOptions } from './shared';
import {
	fullRecordsOption,
	readScript,
	recordOutputOption,
	scriptParameter,
	scriptResultItems,
	splitIntoItemsOption,
} from './shared';

/**
 * Scripts up to this many characters once URL-encoded go in the query string (GET, Ninox's documented form);
 * longer ones go in a POST body, which proxies and servers do not cut short the way they cap URL lengths.
 */
export const MAX_ENCODED_GET_SCRIPT_LENGTH = 1500;

const options = optionsCollection([
	{
		displayName: 'Always Send As POST',
		name: 'forcePost',
		type: 'boolean',
		default: false,
		description: `Whether to send the script in a POST body even when it is short. Otherwise scripts up to ${MAX_ENCODED_GET_SCRIPT_LENGTH} URL-encoded characters are sent as a GET query string and longer ones as POST.`,
	},
	fullRecordsOption,
	recordOutputOption,
	splitIntoItemsOption,
]);

export const description: INodeProperties[] = [
	teamLocator,
	databaseLocator,
	{ ...scriptParameter, hint: 'Read-only: a script that creates, changes or deletes records is refused by Ninox. Use Execute for those.' },
	options,
];

interface QueryOptions extends ResultOptions {
	forcePost?: boolean;
}

/** Runs a read-only script: GET …/query?query=… for short scripts, POST …/query {query} otherwise. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const database = databaseIds.call(this, itemIndex);
	const script = readScript.call(this, itemIndex);
	const chosen = readOptions<QueryOptions>(this, itemIndex, options);
	const path = [...databasePath(...database), 'query'];
	const usePost = chosen.forcePost === true || encodeURIComponent(script).length > MAX_ENCODED_GET_SCRIPT_LENGTH;
	const result = usePost
		? // A read-only query changes nothing, so sending it again after a failure is safe.
			await ninoxRequest<unknown>(this, { method: 'POST', path, body: { query: script }, repeatable: true, itemIndex })
		: await ninoxRequest<unknown>(this, { method: 'GET', path, query: { query: script }, itemIndex });
	return await scriptResultItems.call(this, itemIndex, database, result, chosen);
}
