import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { limitParameter, readLimit, returnAllParameter } from '../common';
import { filesPath, recordParameters } from './shared';

export const description: INodeProperties[] = [...recordParameters, returnAllParameter, limitParameter];

/** One item per file attached to the record: name, content type, size, modified date and user. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const files = await ninoxRequest<IDataObject[]>(this, {
		method: 'GET',
		path: filesPath.call(this, itemIndex),
		itemIndex,
	});
	// Ninox answers the whole list at once; the limit only trims it.
	const limit = readLimit.call(this, itemIndex);
	const list = Array.isArray(files) ? files : [];
	return limit === undefined ? list : list.slice(0, limit);
}
