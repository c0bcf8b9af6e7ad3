import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { limitParameter, readLimit, returnAllParameter, teamId, teamLocator } from '../common';

export const description: INodeProperties[] = [teamLocator, returnAllParameter, limitParameter];

export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const databases = await ninoxRequest<IDataObject[]>(this, {
		method: 'GET',
		path: ['teams', teamId.call(this, itemIndex), 'databases'],
		itemIndex,
	});
	// Ninox answers the whole list at once; the limit only trims it.
	const limit = readLimit.call(this, itemIndex);
	return limit === undefined ? databases : databases.slice(0, limit);
}
