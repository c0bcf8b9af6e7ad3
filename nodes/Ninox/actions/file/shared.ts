/** Parameters and helpers shared by the file operations (attachments of one record). */
import type { IBinaryData, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../../helpers/parameters';
import { ninoxRequestFull, recordPath } from '../../transport';
import { databaseLocator, recordId, recordIdParameter, tableIds, tableLocator, teamLocator } from '../common';

/** Team, database, table and record: where the files live. */
export const recordParameters: INodeProperties[] = [teamLocator, databaseLocator, tableLocator, recordIdParameter];

export const fileNameParameter: INodeProperties = {
	displayName: 'File Name or ID',
	name: 'fileName',
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getRecordFiles',
		loadOptionsDependsOn: ['team.value', 'database.value', 'table.value', 'recordId'],
	},
	default: '',
	required: true,
	description:
		'A file attached to the record. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const outputBinaryPropertyParameter: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
};

/** Path segments of a record's files, or of one file (`…/files/{name}`); the transport encodes each segment. */
export function filesPath(this: IExecuteFunctions, itemIndex: number, fileName?: string): Array<string | number> {
	const [team, database, table] = tableIds.call(this, itemIndex);
	const path = [...recordPath(team, database, table, recordId.call(this, itemIndex)), 'files'];
	return fileName === undefined ? path : [...path, fileName];
}

/** The File Name parameter, unchanged (spaces and any characters are part of the name). */
export function readFileName(this: IExecuteFunctions, itemIndex: number): string {
	const name = String(itemParameter(this, 'fileName', itemIndex, '') ?? '');
	if (name.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'The File Name parameter is empty', {
			itemIndex,
			description: 'Enter the name of a file attached to the record. File → Get Many lists them.',
		});
	}
	return name;
}

export function readBinaryPropertyName(this: IExecuteFunctions, itemIndex: number): string {
	const name = String(itemParameter(this, 'binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'The binary field name is empty', {
			itemIndex,
			description: 'Enter the name of the binary field, e.g. data',
		});
	}
	return name;
}

/**
 * Downloads bytes (a file or its thumbnail) into an item's binary field. `fileName` is kept whole: n8n would
 * otherwise treat a "/" in a Ninox file name as a directory.
 */
export async function downloadToItem(
	this: IExecuteFunctions,
	itemIndex: number,
	path: Array<string | number>,
	fileName: string,
	/** The content type to record; by default the one Ninox answers with. */
	fixedMimeType?: string,
): Promise<INodeExecutionData> {
	const property = readBinaryPropertyName.call(this, itemIndex);
	const response = await ninoxRequestFull<Buffer>(this, { method: 'GET', path, binary: true, itemIndex });
	const header = response.headers['content-type'];
	const mimeType = fixedMimeType ?? ((Array.isArray(header) ? header[0] : header)?.trim() || 'application/octet-stream');
	const binary: IBinaryData = await this.helpers.prepareBinaryData(response.body, fileName, mimeType);
	binary.fileName = fileName;
	return {
		json: { name: fileName, contentType: mimeType, size: response.body.length },
		binary: { [property]: binary },
	};
}
