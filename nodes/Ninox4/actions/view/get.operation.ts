import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemParameter } from '../../../Ninox/helpers/parameters';
import { ninox4Request } from '../../transport';
import { VIEWS_SEGMENT } from '../../transport/facts';
import { requiredId } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'View ID',
		name: 'viewId',
		type: 'string',
		default: '',
		required: true,
		description: 'The ID of the view, as View → Get Many lists it',
	},
];

/** `GET /views/{viewId}` (*ext.*): the view with its columns. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredId.call(this, itemParameter(this, 'viewId', itemIndex, ''), 'View ID', itemIndex);
	return await ninox4Request<IDataObject>(this, { method: 'GET', path: [VIEWS_SEGMENT, id], itemIndex });
}
