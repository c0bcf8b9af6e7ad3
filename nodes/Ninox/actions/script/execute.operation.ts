import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';


import { databasePath, isInDoubt, ninoxRequest } from '../../transport';
import { databaseIds, databaseLocator, optionsCollection, readOptions, teamLocator } from '../common';
import { asNodeError } from '../errors';
import type { ResultOptions } from './shared';
import {
	fullRecordsOption,
	readScript,
	recordOutputOption,
	scriptParameter,
	scriptResultItems,
	splitIntoItemsOption,
} from './shared';

const options = optionsCollection([fullRecordsOption, recordOutputOption, splitIntoItemsOption]);

export const description: INodeProperties[] = [
	teamLocator,
	databaseLocator,
	{ ...scriptParameter, hint: 'The script may create, change and delete records. It runs once per input item.' },
	options,
];

/**
 * Runs a writable script: POST …/exec {query}. Never sent twice (the transport does not repeat a POST): if the
 * answer is lost, the script may already have run, and running it again could create or change records twice.
 */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const database = databaseIds.call(this, itemIndex);
	const script = readScript.call(this, itemIndex);
	const chosen = readOptions<ResultOptions>(this, itemIndex, options);
	let result: unknown;
	try {
		result = await ninoxRequest<unknown>(this, {
			method: 'POST',
			path: [...databasePath(...database), 'exec'],
			body: { query: script },
			itemIndex,
		});
	} catch (error) {
		if (error instanceof NodeApiError && !isInDoubt(error) && Number(error.httpCode) >= 500) {
			error.description = `${error.description ?? ''} The script was sent once and not repeated, so that nothing is written twice: check in Ninox whether its changes were made before running it again.`.trim();
		}
		throw asNodeError(this, error, itemIndex);
	}
	return await scriptResultItems.call(this, itemIndex, database, result, chosen);
}
