import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4Request } from '../../transport';
import { REPORTS_SEGMENT } from '../../transport/facts';
import { reportId, reportIdParameter } from './shared';

export const description: INodeProperties[] = [reportIdParameter];

/** `GET /reports/{reportId}` (*ext.*). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ninox4Request<IDataObject>(this, {
		method: 'GET',
		path: [REPORTS_SEGMENT, reportId.call(this, itemIndex)],
		itemIndex,
	});
}
