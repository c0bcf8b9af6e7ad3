/**
 * A test-only node that calls the transport directly, so its rules (retries, repeatability, encoding,
 * pagination) are tested inside the real engine without depending on any one operation.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import type { NinoxRequest } from '../../nodes/Ninox/transport';
import { ninoxRequest, ninoxRequestAllPages } from '../../nodes/Ninox/transport';

export const TRANSPORT_PROBE_NODE = 'test.transportProbe';

export const transportProbe: INodeType = {
	description: {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'Sends the request given as a parameter through the Ninox transport',
		defaults: { name: 'Transport Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'ninoxTokenApi', required: true }],
		properties: [
			{ displayName: 'Request', name: 'request', type: 'json', default: '{}' },
			{ displayName: 'All Pages', name: 'allPages', type: 'boolean', default: false },
			{ displayName: 'Limit', name: 'limit', type: 'number', default: 0 },
			// Where the action node keeps its Timeout option: the transport reads it from here too.
			{
				displayName: 'Request Options',
				name: 'requestOptions',
				type: 'collection',
				default: {},
				options: [{ displayName: 'Timeout', name: 'timeout', type: 'number', default: 60 }],
			},
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const request = JSON.parse(this.getNodeParameter('request', 0) as string) as NinoxRequest;
		if (this.getNodeParameter('allPages', 0)) {
			const limit = (this.getNodeParameter('limit', 0) as number) || undefined;
			const rows = await ninoxRequestAllPages<object>(this, request, limit);
			return [rows.map((row) => ({ json: row as never, pairedItem: { item: 0 } }))];
		}
		const body = await ninoxRequest<unknown>(this, request);
		return [[{ json: { body: body as never }, pairedItem: { item: 0 } }]];
	},
};
