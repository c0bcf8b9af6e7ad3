import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request } from '../../transport';

export const description: INodeProperties[] = [];

/** `GET /api/v1/workspace/{ws}`: the workspace's name and its modules with their tables and fields. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ninox4Request<IDataObject>(this, { method: 'GET', path: [], itemIndex });
}
