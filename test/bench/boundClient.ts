/**
 * The benchmark's "bound" contender: a bare undici client on one keep-alive connection that already knows the
 * table schema and sends exactly the requests the API needs, one after the other (Ninox limits parallel calls,
 * and our transport sends one at a time too). It still does a client's real work: building and serialising the
 * bodies, and parsing every answer.
 */
import { Client } from 'undici';

import { encodePath, encodeQuery, type QueryValue } from '../../nodes/Ninox/transport';

export interface BoundRequest {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
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

export class BoundClient {
	private readonly client: Client;

	constructor(
		origin: string,
		private readonly token: string,
	) {
		this.client = new Client(origin, { pipelining: 1 });
	}

	/** Sends one request; JSON answers are parsed, anything else comes back as bytes. Non-2xx answers throw. */
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
			path: '/v1' + encodePath(request.path) + encodeQuery(request.query),
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

	async close(): Promise<void> {
		await this.client.close();
	}
}
