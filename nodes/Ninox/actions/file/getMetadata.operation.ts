import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { fileNameParameter, filesPath, readFileName, recordParameters } from './shared';

export const description: INodeProperties[] = [...recordParameters, fileNameParameter];

/** Name, content type, size, modified date and user of one file. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ninoxRequest<IDataObject>(this, {
		method: 'GET',
		path: [...filesPath.call(this, itemIndex, readFileName.call(this, itemIndex)), 'metadata'],
		itemIndex,
	});
}
