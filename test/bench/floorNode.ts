/**
 * The benchmark's "floor" contender: the bound's job — the same requests, bodies built the same way — run by a
 * bare node inside n8n-core's engine, each request through `this.helpers.httpRequestWithAuthentication` as
 * n8n's rules require of a community node. No parameters, no checks, no conversions: what is left is the cost of
 * the engine (items in and out) and of n8n's HTTP helper. Ours cannot be faster than this; the bound can.
 */
import type { IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { encodePath, encodeQuery } from '../../nodes/Ninox/transport';
import { runNode } from '../harness/engine';
import type { BenchApi } from './api';
import { CLASSIC_API } from './api';
import type { ApiJob, BoundRequest, BoundResponse } from './boundClient';
import { ApiClient } from './boundClient';
import type { Connection } from './workloads';

export const FLOOR_NODE = 'bench.floor';

class HelperClient extends ApiClient {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly apiUrl: string,
		private readonly credentialType: string,
	) {
		super();
	}

	async request<T = unknown>(request: BoundRequest): Promise<BoundResponse<T>> {
		const isBytes = Buffer.isBuffer(request.body);
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${this.apiUrl}${encodePath(request.path)}${encodeQuery(request.query)}`,
			returnFullResponse: true,
			encoding: 'arraybuffer',
			json: false,
			...(request.body === undefined
				? {}
				: isBytes
					? { body: request.body as Buffer, headers: { 'Content-Type': request.contentType! } }
					: { body: JSON.stringify(request.body), headers: { 'Content-Type': 'application/json' } }),
		};
		const response = (await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			this.credentialType,
			options,
		)) as { body: ArrayBuffer; statusCode: number; headers: Record<string, string | undefined> };
		const contentType = String(response.headers['content-type'] ?? '');
		const bytes = Buffer.from(response.body);
		const parsed =
			contentType.includes('application/json') && bytes.length ? (JSON.parse(bytes.toString('utf8')) as T) : (bytes as T);
		return { status: response.statusCode, body: parsed, contentType };
	}
}

function floorNodeType(job: ApiJob, apiUrl: string, credentialType: string): INodeType {
	return {
		description: {
			displayName: 'Floor (Benchmark)',
			name: 'floor',
			group: ['transform'],
			version: 1,
			description: "Runs the bound's requests through n8n's HTTP helper",
			defaults: { name: 'Floor' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const answers = await job(new HelperClient(this, apiUrl, credentialType));
			return [
				answers.map((answer) => ({
					json: (typeof answer === 'object' && answer !== null && !Buffer.isBuffer(answer) ? answer : { answer }) as never,
					pairedItem: { item: 0 },
				})),
			];
		},
	};
}

/** `inputItems`: as many input items as ours is given, so that the engine carries the same number of items. */
export async function runFloor(
	connection: Connection,
	job: ApiJob,
	inputItems: number,
	api: BenchApi = CLASSIC_API,
): Promise<INodeExecutionData[]> {
	const run = await runNode({
		nodeType: FLOOR_NODE,
		extraNodeTypes: { [FLOOR_NODE]: floorNodeType(job, connection.url + api.root(connection), api.credentialType) },
		parameters: {},
		credentials: api.credentials(connection),
		credentialType: api.credentialType,
		items: Array.from({ length: inputItems }, (_, index) => ({ json: { index } })),
	});
	if (run.error) throw run.error;
	return run.items;
}
