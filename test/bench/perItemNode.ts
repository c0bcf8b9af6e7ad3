/**
 * The benchmark's "per-item" contender: what a workflow without our node does, i.e. n8n's HTTP Request node
 * pointed at the Ninox API. Per input item it evaluates its parameters (usually expressions such as
 * `={{ $json.url }}`) and sends exactly one request through `this.helpers.httpRequestWithAuthentication`.
 * With "Paginate" it reads a list the naive way instead: Ninox's default page (100 records, no `perPage`),
 * page after page until a short page, emitting one item per record.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { multipartBody } from '../../nodes/Ninox/actions/file/upload.operation';
import { CREDENTIAL_TYPE } from '../../nodes/Ninox/transport';

export const PER_ITEM_NODE = 'bench.perItemHttp';

/** Ninox's page size when a list request names none. */
export const NINOX_DEFAULT_PAGE = 100;

/** Ninox 4's largest page. */
const NINOX4_MAX_PAGE = 100;

interface FullResponse {
	body: unknown;
	headers: Record<string, string | undefined>;
}

/** The per-item node for the API of `credentialType` (the classic one: `perItemHttpNode`). */
export function perItemHttpNodeFor(credentialType: string): INodeType {
	return {
		description: {
			displayName: 'Per-Item HTTP (Benchmark)',
			name: 'perItemHttp',
			group: ['transform'],
			version: 1,
			description: 'One authenticated HTTP request per input item, like the HTTP Request node',
			defaults: { name: 'Per-Item HTTP' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				{ displayName: 'JSON Body', name: 'jsonBody', type: 'json', default: '' },
				{
					displayName: 'Response Format',
					name: 'responseFormat',
					type: 'options',
					options: [
						{ name: 'File', value: 'file' },
						{ name: 'JSON', value: 'json' },
					],
					default: 'json',
				},
				{ displayName: 'Upload Binary Field', name: 'uploadBinaryField', type: 'string', default: '' },
				{ displayName: 'Upload File Name', name: 'uploadFileName', type: 'string', default: '' },
				{ displayName: 'Paginate', name: 'paginate', type: 'boolean', default: false },
				{ displayName: 'Paginate by Offset', name: 'paginateOffset', type: 'boolean', default: false },
			],
		},

		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const output: INodeExecutionData[] = [];
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				const pairedItem = { item: itemIndex };
				const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
				const url = this.getNodeParameter('url', itemIndex) as string;
				const send = async (options: Partial<IHttpRequestOptions>) =>
					(await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
						method,
						url,
						...options,
					} as IHttpRequestOptions)) as unknown;

				if (this.getNodeParameter('paginateOffset', itemIndex) as boolean) {
					// Ninox 4: `offset` and `limit` (at most 100) until `page_info.has_more` is false
					const separator = url.includes('?') ? '&' : '?';
					for (let offset = 0; ; offset += NINOX4_MAX_PAGE) {
						const page = (await send({ url: `${url}${separator}offset=${offset}&limit=${NINOX4_MAX_PAGE}`, json: true })) as {
							data: IDataObject[];
							page_info?: { has_more?: boolean };
						};
						for (const row of page.data) output.push({ json: row, pairedItem });
						if (page.page_info?.has_more !== true) break;
					}
					continue;
				}

				if (this.getNodeParameter('paginate', itemIndex) as boolean) {
					const separator = url.includes('?') ? '&' : '?';
					for (let page = 0; ; page++) {
						const rows = (await send({ url: `${url}${separator}page=${page}`, json: true })) as IDataObject[];
						for (const row of rows) output.push({ json: row, pairedItem });
						if (rows.length < NINOX_DEFAULT_PAGE) break;
					}
					continue;
				}

				const uploadField = this.getNodeParameter('uploadBinaryField', itemIndex) as string;
				if (uploadField) {
					const binary = items[itemIndex].binary![uploadField];
					const data = await this.helpers.getBinaryDataBuffer(itemIndex, uploadField);
					const fileName = (this.getNodeParameter('uploadFileName', itemIndex) as string) || binary.fileName!;
					const multipart = multipartBody(data, fileName, binary.mimeType);
					const answer = await send({ body: multipart.body, headers: { 'Content-Type': multipart.contentType } });
					output.push({ json: { answer: String(answer) }, pairedItem });
					continue;
				}

				if (this.getNodeParameter('responseFormat', itemIndex) === 'file') {
					const response = (await send({
						encoding: 'arraybuffer',
						json: false,
						returnFullResponse: true,
					})) as FullResponse;
					const fileName = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
					const data = Buffer.from(response.body as ArrayBuffer);
					const binary = await this.helpers.prepareBinaryData(data, fileName, response.headers['content-type']);
					output.push({ json: { name: fileName, size: data.length }, binary: { data: binary }, pairedItem });
					continue;
				}

				const jsonBody = this.getNodeParameter('jsonBody', itemIndex) as unknown;
				const body = typeof jsonBody === 'string' && jsonBody !== '' ? (JSON.parse(jsonBody) as unknown) : jsonBody;
				const hasBody = body !== undefined && body !== null && body !== '';
				const answer = await send({ json: true, ...(hasBody ? { body: body as IDataObject } : {}) });
				const json = (typeof answer === 'object' && answer !== null && !Array.isArray(answer)
					? answer
					: { data: answer ?? null }) as IDataObject;
				output.push({ json, pairedItem });
			}
			return [output];
		},
	};
}

export const perItemHttpNode = perItemHttpNodeFor(CREDENTIAL_TYPE);
