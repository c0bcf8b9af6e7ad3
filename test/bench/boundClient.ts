/**
 * The clients of the benchmark's "bound" and "floor" contenders. Both run the same job, which already knows the
 * table schema and sends exactly the requests the API needs, one after the other (Ninox limits parallel calls, and
 * our transport sends one at a time too), doing a client's real work: building and serialising the bodies, and
 * parsing every answer.
 * - BoundClient: a bare undici client on one keep-alive connection — the round-trip lower bound.
 * - the floor's client (floorNode.ts): the same requests from a node inside n8n's engine, through n8n's HTTP helper.
 */
import { Client } from 'undici';

import { encodePath, encodeQuery, type QueryValue } from '../../nodes/Ninox/transport';

export interface BoundRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: Array<string | number>;
	query?: Record<string, QueryValue>;
	/** JSON-serialised unless it is a Buffer (then sent as is, with `contentType`). */
	body?: unknown;
	contentType?: string;
}

export interface BoundResponse<T> {
	status: number;
	body: T;
	contentType: string;
}

export abstract class ApiClient {
	/** Sends one request; JSON answers are parsed, anything else comes back as bytes. Non-2xx answers throw. */
	abstract request<T = unknown>(request: BoundRequest): Promise<BoundResponse<T>>;

	async json<T = unknown>(request: BoundRequest): Promise<T> {
		return (await this.request<T>(request)).body;
	}

	/** A list read to the end in pages of `perPage`, stopping at the first short page. */
	async allPages<T>(path: Array<string | number>, perPage: number, query: Record<string, QueryValue> = {}): Promise<T[]> {
		const rows: T[] = [];
		for (let page = 0; ; page++) {
			const batch = await this.json<T[]>({ method: 'GET', path, query: { ...query, page, perPage } });
			rows.push(...batch);
			if (batch.length < perPage) return rows;
		}
	}
}

/** A job of the bound and the floor: its output is checked like the other contenders' items. */
export type ApiJob = (client: ApiClient) => Promise<unknown[]>;

export class BoundClient extends ApiClient {
	private readonly client: Client;

	constructor(
		origin: string,
		private readonly token: string,
		/** The API's root path: the classic `/v1`, or Ninox 4's `/api/v1/workspace/{id}`. */
		private readonly root = '/v1',
	) {
		super();
		this.client = new Client(origin, { pipelining: 1 });
	}

	async request<T = unknown>(request: BoundRequest): Promise<BoundResponse<T>> {
		const isBytes = Buffer.isBuffer(request.body);
		const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: '*/*' };
		let body: string | Buffer | undefined;
		if (request.body !== undefined) {
			body = isBytes ? (request.body as Buffer) : JSON.stringify(request.body);
			headers['content-type'] = isBytes ? request.contentType! : 'application/json';
		}
		const response = await this.client.request({
			method: request.method,
			path: this.root + encodePath(request.path) + encodeQuery(request.query),
			headers,
			body,
		});
		const contentType = String(response.headers['content-type'] ?? '');
		const bytes = Buffer.from(await response.body.arrayBuffer());
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw new Error(`${request.method} ${encodePath(request.path)} answered ${response.statusCode}: ${bytes.toString('utf8')}`);
		}
		const parsed = contentType.includes('application/json') && bytes.length ? (JSON.parse(bytes.toString('utf8')) as T) : (bytes as T);
		return { status: response.statusCode, body: parsed, contentType };
	}

	async close(): Promise<void> {
		await this.client.close();
	}
}
