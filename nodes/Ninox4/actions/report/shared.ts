import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemParameter } from '../../../Ninox/helpers/parameters';
import { requiredId } from '../common';

export const reportIdParameter: INodeProperties = {
	displayName: 'Report ID',
	name: 'reportId',
	type: 'string',
	default: '',
	required: true,
	description: 'The ID of the report, as Report → Get Many lists it',
};

export function reportId(this: IExecuteFunctions, itemIndex: number): string {
	return requiredId.call(this, itemParameter(this, 'reportId', itemIndex, ''), 'Report ID', itemIndex);
}
