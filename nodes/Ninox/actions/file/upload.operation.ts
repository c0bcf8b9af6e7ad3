import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { multipartForm } from '../../../shared/multipart';

import { ninoxRequest } from '../../transport';
import { optionsCollection, readOptions, recordId } from '../common';
import { filesPath, readBinaryPropertyName, recordParameters } from './shared';

const uploadOptions = optionsCollection([
	{
		displayName: 'Field Name',
		name: 'fieldName',
		type: 'string',
		default: '',
		placeholder: 'Photo',
		description: 'An image or file field of the record to put the file into (its name or ID). Without it, the file is only attached to the record.',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'invoice 2024.pdf',
		description: 'The name to store the file under, instead of the name of the input file. A file of the same name on the record is replaced.',
	},
]);

export const description: INodeProperties[] = [
	...recordParameters,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be uploaded',
	},
	uploadOptions,
];

interface UploadOptions {
	fieldName?: string;
	fileName?: string;
}

/**
 * Uploads an input file to the record: POST …/files as multipart/form-data. Ninox replaces a file of the same
 * name, so sending the upload again after a failure leaves the same result: it is repeatable.
 */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const property = readBinaryPropertyName.call(this, itemIndex);
	const options = readOptions<UploadOptions>(this, itemIndex, uploadOptions);
	const binary = this.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) {
		const available = Object.keys(this.getInputData()[itemIndex]?.binary ?? {});
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has no binary field "${property}"`, {
			itemIndex,
			description: available.length
				? `Its binary fields are: ${available.join(', ')}. Set "Input Binary Field" to the one holding the file.`
				: 'The item carries no file. Read or download the file in an earlier node, or set "Input Binary Field" to the field that holds it.',
		});
	}
	const name = options.fileName?.trim() ? options.fileName : binary.fileName;
	if (!name) {
		throw new NodeOperationError(this.getNode(), `The file in binary field "${property}" has no name`, {
			itemIndex,
			description: 'Set the File Name option to the name Ninox should store the file under.',
		});
	}
	const contentType = binary.mimeType || 'application/octet-stream';
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	const fieldName = options.fieldName?.trim() || undefined;

	const multipart = multipartBody(data, name, contentType, fieldName);
	await ninoxRequest(this, {
		method: 'POST',
		path: filesPath.call(this, itemIndex),
		body: multipart.body,
		headers: { 'Content-Type': multipart.contentType },
		repeatable: true,
		itemIndex,
	});
	return {
		uploaded: true,
		name,
		contentType,
		size: data.length,
		recordId: recordId.call(this, itemIndex),
		...(fieldName ? { fieldName } : {}),
	};
}

/** The upload's form: an optional `fieldName` part (with its line breaks flattened) and the `file` part. */
export function multipartBody(
	data: Buffer,
	fileName: string,
	contentType: string,
	fieldName?: string,
): { body: Buffer; contentType: string } {
	const fields: Array<[string, string]> = fieldName === undefined ? [] : [['fieldName', fieldName.replace(/\r?\n/g, ' ')]];
	return multipartForm(fields, { name: 'file', fileName, contentType, data });
}
