import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, randomString } from 'n8n-workflow';

import { ninoxRequest } from '../../transport';
import { recordId } from '../common';
import { filesPath, readBinaryPropertyName, recordParameters } from './shared';

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
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
		],
	},
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
	const options = this.getNodeParameter('options', itemIndex, {}) as UploadOptions;
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

/**
 * A multipart/form-data body (RFC 7578) with an optional `fieldName` part and the `file` part. The file name is
 * sent the way browsers send it (UTF-8, with `"` and line breaks percent-escaped) and, unless it is plain ASCII,
 * also as `filename*` (RFC 5987), which servers prefer and which is unambiguous.
 */
export function multipartBody(
	data: Buffer,
	fileName: string,
	contentType: string,
	fieldName?: string,
): { body: Buffer; contentType: string } {
	let boundary: string;
	do boundary = `----n8nNinoxBoundary${randomString(24)}`;
	while (data.includes(boundary));

	const quoted = fileName.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
	// Plain printable ASCII needs nothing more; `%`, `"` and `\` would be ambiguous in the quoted form alone.
	const extended = /^[\x20-\x7e]*$/.test(fileName) && !/[%"\\]/.test(fileName)
		? ''
		: `; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;
	const parts: Buffer[] = [];
	if (fieldName !== undefined) {
		const safeField = fieldName.replace(/\r?\n/g, ' ');
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fieldName"\r\n\r\n${safeField}\r\n`, 'utf8'));
	}
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted}"${extended}\r\nContent-Type: ${contentType}\r\n\r\n`,
			'utf8',
		),
		data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
