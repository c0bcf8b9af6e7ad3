import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../../../Ninox/helpers/parameters';
import { fetchPresigned, ninox4Request } from '../../transport';
import { PRINT_SEGMENT, REPORT_PRINT_MAX_IDS, REPORTS_SEGMENT } from '../../transport/facts';
import { parseRecordId } from '../common';
import { reportId, reportIdParameter } from './shared';

export const description: INodeProperties[] = [
	reportIdParameter,
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5, 6, 7',
		description: 'The records to print: one ID, several separated by commas, or an expression giving a list (at most 250)',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the PDF in',
	},
];

interface PrintAnswer {
	fileName?: string;
	mimeType?: string;
	url?: string;
}

/**
 * `POST /reports/{id}/print` `{rowId, rowIds?}` (*ext.*) answers a presigned link to the PDF, which is fetched at
 * once (its lifetime is unknown) and without the API key.
 */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = reportId.call(this, itemIndex);
	const raw = itemParameter(this, 'recordIds', itemIndex, '');
	const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).filter((entry) => String(entry).trim() !== '');
	const ids = list.map((entry) => parseRecordId.call(this, entry, itemIndex));
	if (ids.length === 0 || ids.length > REPORT_PRINT_MAX_IDS) {
		throw new NodeOperationError(
			this.getNode(),
			ids.length ? `${ids.length} records are more than a report prints at once` : 'No record to print',
			{ itemIndex, description: `Name 1 to ${REPORT_PRINT_MAX_IDS} record IDs.` },
		);
	}
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const printed = await ninox4Request<PrintAnswer>(this, {
		method: 'POST',
		path: [REPORTS_SEGMENT, id, PRINT_SEGMENT],
		body: { rowId: ids[0], ...(ids.length > 1 ? { rowIds: ids.slice(1) } : {}) },
		// Printing changes nothing: it may be sent again.
		repeatable: true,
		itemIndex,
	});
	if (typeof printed.url !== 'string' || !/^https?:\/\//i.test(printed.url)) {
		throw new NodeOperationError(this.getNode(), `Ninox 4 printed report ${id} but gave no link to the PDF`, { itemIndex });
	}
	const pdf = await fetchPresigned(this, printed.url, itemIndex);
	const fileName = printed.fileName || `report-${id}.pdf`;
	const mimeType = printed.mimeType || 'application/pdf';
	const binary = await this.helpers.prepareBinaryData(pdf.body, fileName, mimeType);
	binary.fileName = fileName;
	const json: IDataObject = { reportId: id, recordIds: ids, fileName, mimeType, size: pdf.body.length };
	return [{ json, binary: { [property]: binary } }];
}
