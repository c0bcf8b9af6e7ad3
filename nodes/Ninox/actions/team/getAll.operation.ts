import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';

export const description: INodeProperties[] = [];

export async function executeItem(this: IExecuteFunctions): Promise<IDataObject[]> {
	return await ninoxRequest<IDataObject[]>(this, {
		method: 'GET',
		path: ['teams'],
	});
}
