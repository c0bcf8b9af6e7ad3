import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { fileNameParameter, filesPath, readFileName, recordParameters } from './shared';

export const description: INodeProperties[] = [...recordParameters, fileNameParameter];

/** Removes the file from the record (Ninox answers 204 with no body). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = readFileName.call(this, itemIndex);
	await ninoxRequest(this, { method: 'DELETE', path: filesPath.call(this, itemIndex, name), itemIndex });
	return { deleted: true, name };
}
