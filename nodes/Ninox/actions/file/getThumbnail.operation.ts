import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadToItem, fileNameParameter, filesPath, outputBinaryPropertyParameter, readFileName, recordParameters } from './shared';

export const description: INodeProperties[] = [...recordParameters, fileNameParameter, outputBinaryPropertyParameter];

/** Ninox's JPEG preview of a file, in a binary field named after the file ("photo.png" → "photo_thumb.jpg"). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileName = readFileName.call(this, itemIndex);
	const path = [...filesPath.call(this, itemIndex, fileName), 'thumb.jpg'];
	const thumbnailName = `${fileName.replace(/\.[^./]*$/, '')}_thumb.jpg`;
	const item = await downloadToItem.call(this, itemIndex, path, thumbnailName, 'image/jpeg');
	return [{ ...item, json: { ...item.json, file: fileName } }];
}
