import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadToItem, fileNameParameter, filesPath, outputBinaryPropertyParameter, readFileName, recordParameters } from './shared';

export const description: INodeProperties[] = [...recordParameters, fileNameParameter, outputBinaryPropertyParameter];

/** The file's bytes in a binary field, with its name and the content type Ninox answers with. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileName = readFileName.call(this, itemIndex);
	const path = filesPath.call(this, itemIndex, fileName);
	return [await downloadToItem.call(this, itemIndex, path, fileName)];
}
