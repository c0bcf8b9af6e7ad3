import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from './transport';

/** Where the action nodes keep their Timeout option (read by the transport core through a dialect). */
export const REQUEST_TIMEOUT_PARAMETER = 'requestOptions.timeout';

/** Where every node keeps its Timeout option: the action nodes' Request Options, the triggers' Options. */
export const TIMEOUT_PARAMETERS = [REQUEST_TIMEOUT_PARAMETER, 'options.timeout'];

/** The Timeout option of every node (seconds; its default is the core's), with what it means for that node. */
export function timeoutOption(description: string): INodeProperties {
	return {
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description,
	};
}

/** The action nodes' Request Options: the Timeout of each request. */
export function requestOptionsParameter(product: string): INodeProperties {
	return {
		displayName: 'Request Options',
		name: 'requestOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			timeoutOption(
				`Seconds to wait for ${product} to answer each request. A read with no answer in time is tried again; a write that ${product} may have applied is reported and not sent again.`,
			),
		],
	};
}
