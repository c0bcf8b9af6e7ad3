import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { teamId, teamLocator } from '../common';

export const description: INodeProperties[] = [teamLocator];

export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ninoxRequest<IDataObject>(this, {
		method: 'GET',
		path: ['teams', teamId.call(this, itemIndex)],
		itemIndex,
	});
}
