/**
 * The Ninox 4 dialect of the shared transport core (nodes/shared/transport.ts): the API root from the credential,
 * the `{"error":{"message"}}` envelope, the plain-text 401, the HTML page a 200 may carry, `{data}` answers,
 * offset/limit pages until `has_more` is false, and batches cut by count and by body size. Retries, Retry-After,
 * writes in doubt, one request at a time and redaction are the core's; nothing here repeats them.
 */
import type { ICredentialDataDecryptedObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Dialect, ErrorFacts, Explanation, TransportContext, TransportRequest } from '../../shared/transport';
import { TIMEOUT_PARAMETERS } from '../../shared/requestOptions';
import { createTransport, describeRequest, looksLikeHtml, readOffsetList } from '../../shared/transport';
import { ninox4ApiRoot } from './connection';
import {
	MAX_BODY_BYTES,
	MAX_PAGE_SIZE,
	SCHEMA_LISTS_ARE_PAGED,
	SCOPE_DENIED_STATUS,
	UNAUTHORIZED_TEXT,
	UNKNOWN_PATH_ANSWERS_HTML,
} from './facts';

export const CREDENTIAL_TYPE = 'ninox4Api';
const PRODUCT = 'Ninox 4';
const NOT_THE_API =
	"The answer is not from the Ninox 4 API: check the Base URL and the workspace ID in the credential. Where the endpoint is not in Ninox 4's published spec, this workspace may not offer it.";

export type Ninox4Context = TransportContext;
export type Ninox4Request = TransportRequest;
export { isInDoubt } from '../../shared/transport';

function errorMessage(body: unknown): string {
	if (typeof body === 'string') {
		const text = body.trim();
		if (text === '' || text.startsWith('<')) return '';
		try {
			return errorMessage(JSON.parse(text));
		} catch {
			return text.slice(0, 200);
		}
	}
	if (body && typeof body === 'object') {
		const { error, message } = body as { error?: { message?: unknown } | string; message?: unknown };
		if (error && typeof error === 'object' && typeof error.message === 'string') return error.message;
		if (typeof error === 'string') return error;
		if (typeof message === 'string') return message;
	}
	return '';
}

function explain({ request, status, serverMessage }: ErrorFacts): Explanation | undefined {
	const detail = serverMessage ? `: ${serverMessage}` : '';
	switch (status) {
		case 401:
			return {
				message: 'Ninox 4 rejected the API key (401 Unauthorized)',
				description:
					(serverMessage === UNAUTHORIZED_TEXT ? `Ninox 4 answered "${UNAUTHORIZED_TEXT}". ` : '') +
					'The key is wrong, expired or revoked, or belongs to another workspace: a key works only in the workspace it was created in. Create one in Ninox 4 (gear → Settings → Workspace → API & integrations) and check the workspace ID in the credential.',
			};
		case SCOPE_DENIED_STATUS:
			return {
				message: `Ninox 4 denied access (${status} Forbidden)${detail}`,
				description:
					'The API key lacks the scope this needs: records:write for record writes, CSV imports and scripts, schema:write for modules, tables and fields.',
			};
		case 404:
			return {
				message: `${serverMessage || 'Not found'} (404)`,
				description: `Ninox 4 has nothing at ${describeRequest(request)}: check the module, table, field and record names and IDs. Names are lowercase letters, digits and _.`,
			};
		case 413:
			return {
				message: `The request is larger than Ninox 4 accepts (413)${detail}`,
				description: 'Ninox 4 takes bodies up to 6 MB and CSV files up to 50 MB: lower the Batch Size, or split the file.',
			};
		case 400:
		case 409:
			return {
				message: `${serverMessage || 'Ninox 4 rejected the request'} (${status})`,
				description: `Ninox 4 refused ${describeRequest(request)}.`,
			};
		default:
			return undefined;
	}
}

/** The request for messages; the workspace's root is "/". */
function describe(request: Ninox4Request): string {
	return request.path.length ? describeRequest(request) : `${request.method} /`;
}

/** *ext.* A path Ninox 4 does not know answers 200 with the web app's page: not worth a retry. */
function foreignAnswer(request: Ninox4Request, status: number, body: unknown): Explanation | undefined {
	if (!UNKNOWN_PATH_ANSWERS_HTML || typeof body !== 'string' || !looksLikeHtml(body)) return undefined;
	return {
		message: `Ninox 4 answered ${describe(request)} with a web page, not the API (HTTP ${status})`,
		description: NOT_THE_API,
	};
}

export const ninox4Dialect: Dialect = {
	credentialType: CREDENTIAL_TYPE,
	product: PRODUCT,
	baseUrl: (credentials) => ninox4ApiRoot(credentials),
	exampleUrl: 'https://go.ninox.com',
	secrets: (credentials: ICredentialDataDecryptedObject) => [String(credentials.apiKey ?? '')],
	secretName: 'API key',
	timeoutParameters: TIMEOUT_PARAMETERS,
	errorMessage,
	explain,
	foreignAnswer,
};

const transport = createTransport(ninox4Dialect);

/** A Ninox 4 answer: `{data, page_info?, meta?}`. */
export interface Ninox4Answer<T> {
	data: T;
	page_info?: { has_more?: boolean; limit?: number; offset?: number };
	meta?: Record<string, unknown>;
}

function isAnswer(body: unknown): body is Ninox4Answer<unknown> {
	return typeof body === 'object' && body !== null && !Array.isArray(body) && 'data' in body;
}

/** Sends one request and returns the whole answer; a 2xx without JSON `data` is not an answer of the API. */
export async function ninox4Answer<T>(context: Ninox4Context, request: Ninox4Request): Promise<Ninox4Answer<T>> {
	// Ninox 4's DELETE is not idempotent and its POSTs create: only reads and PATCH (ids and values given) repeat.
	const repeatable = request.repeatable ?? (request.method === 'GET' || request.method === 'PATCH');
	const body = await transport.request<unknown>(context, { ...request, repeatable });
	if (isAnswer(body)) return body as Ninox4Answer<T>;
	const message = `Ninox 4 answered ${describe(request)} without data`;
	throw new NodeApiError(context.getNode(), { message } as JsonObject, {
		message,
		description: NOT_THE_API,
		itemIndex: request.itemIndex,
	});
}

/** Sends one request and returns its `data`. */
export async function ninox4Request<T = unknown>(context: Ninox4Context, request: Ninox4Request): Promise<T> {
	return (await ninox4Answer<T>(context, request)).data;
}

/**
 * Reads a list with `offset` and `limit` (≤ 100) until `page_info.has_more` is false, or exactly `limit` rows.
 * A list answered without `page_info` is one page. A list that does not page (`paged: false`) is one request.
 */
export async function ninox4List<T>(
	context: Ninox4Context,
	request: Omit<Ninox4Request, 'method'>,
	limit?: number,
	paged = true,
): Promise<T[]> {
	if (!paged) {
		const rows = await ninox4Request<T[]>(context, { ...request, method: 'GET' });
		return (Array.isArray(rows) ? rows : []).slice(0, limit);
	}
	return await readOffsetList<T>(
		async (offset, pageSize) => {
			const answer = await ninox4Answer<T[]>(context, {
				...request,
				method: 'GET',
				query: { ...request.query, offset, limit: pageSize },
			});
			const rows = Array.isArray(answer.data) ? answer.data : [];
			return { rows, hasMore: answer.page_info?.has_more === true };
		},
		{ maxPageSize: MAX_PAGE_SIZE, limit },
	);
}

// ─── batching ───────────────────────────────────────────────────────────────

/** Room kept in each body for the envelope (`{"records":[…]}`) and other keys. */
const ENVELOPE_BYTES = 1024;

/**
 * Cuts entries into batches of at most `maxCount`, each of whose JSON bodies stays under Ninox 4's 6 MB.
 * An entry too large on its own still gets a batch (Ninox 4 answers it with 413, for its item alone).
 */
export function batchBySize<T>(entries: T[], payloadOf: (entry: T) => unknown, maxCount: number): T[][] {
	// Usually everything fits in one body: one JSON text of all payloads says so (its bytes are the sum of the
	// payloads' bytes and a comma each, plus the brackets), without one per entry.
	if (entries.length <= maxCount && ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(entries.map(payloadOf))) - 1 <= MAX_BODY_BYTES) {
		return entries.length ? [entries.slice()] : [];
	}
	const batches: T[][] = [];
	let batch: T[] = [];
	let bytes = ENVELOPE_BYTES;
	for (const entry of entries) {
		const size = Buffer.byteLength(JSON.stringify(payloadOf(entry)) ?? 'null') + 1;
		if (batch.length > 0 && (batch.length >= maxCount || bytes + size > MAX_BODY_BYTES)) {
			batches.push(batch);
			batch = [];
			bytes = ENVELOPE_BYTES;
		}
		batch.push(entry);
		bytes += size;
	}
	if (batch.length) batches.push(batch);
	return batches;
}

// ─── paths (after the API root; the core encodes every segment) ─────────────

/** Modules, tables and fields: a list of the schema, paged as the facts say. */
export async function ninox4SchemaList<T>(
	context: Ninox4Context,
	request: Omit<Ninox4Request, 'method'>,
	limit?: number,
): Promise<T[]> {
	return await ninox4List<T>(context, request, limit, SCHEMA_LISTS_ARE_PAGED);
}

export function modulePath(moduleName: string): string[] {
	return ['modules', moduleName];
}

export function tablePath(moduleName: string, tableName: string): string[] {
	return [...modulePath(moduleName), 'tables', tableName];
}

export function fieldsPath(moduleName: string, tableName: string): string[] {
	return [...tablePath(moduleName, tableName), 'fields'];
}

export function recordsPath(moduleName: string, tableName: string): string[] {
	return [...tablePath(moduleName, tableName), 'records'];
}

// ─── presigned links ────────────────────────────────────────────────────────

/**
 * Fetches a presigned link (a printed report's PDF) at once, through the core but without the credential: the
 * link carries its own signature, and the API key must never reach the storage host.
 */
export async function fetchPresigned(context: Ninox4Context, url: string, itemIndex: number) {
	return await transport.requestFull<Buffer>(context, { method: 'GET', path: [], externalUrl: url, binary: true, itemIndex });
}
