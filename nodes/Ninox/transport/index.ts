/**
 * The single door for HTTP to Ninox: base URL, authentication, encoding, retries, error mapping,
 * pagination and batching. Nothing else in the package talks to the network.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { ninoxBaseUrl } from './baseUrl';

export const CREDENTIAL_TYPE = 'ninoxTokenApi';

export type NinoxContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export type QueryValue = string | number | boolean | undefined;

export interface NinoxRequest {
	method: IHttpRequestMethods;
	/** Path segments after /v1; each one is URL-encoded here, so an id can never reach another endpoint. */
	path: Array<string | number>;
	query?: Record<string, QueryValue>;
	body?: unknown;
	headers?: Record<string, string>;
	/** The answer is bytes (file downloads, thumbnails). */
	binary?: boolean;
	/**
	 * May the request be sent again after a failure the server may already have acted on?
	 * Reads and id-keyed writes may; a create without ids or a writable script must not (it could run twice).
	 * Defaults to true for GET, PUT and DELETE, false for POST.
	 */
	repeatable?: boolean;
	/** The item the request is made for: named in errors. */
	itemIndex?: number;
}

export interface NinoxResponse<T> {
	body: T;
	status: number;
	headers: Record<string, string | string[] | undefined>;
}

/** Attempts for one request: the first try and up to this many minus one retries. */
export const MAX_ATTEMPTS = 6;
/** A Retry-After longer than this ends the retries with the 429 error instead of stalling the workflow. */
const MAX_RETRY_AFTER_MS = 60_000;
const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** Connection failures after which the server may have received (and applied) the request. */
const IN_DOUBT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_BAD_RESPONSE']);
/** Connection failures that prove the request never reached a server. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Thrown when a request that must not be repeated failed in a way that leaves open whether Ninox applied it. */
export class NinoxInDoubtError extends NodeApiError {
	readonly inDoubt = true;
}

export function isInDoubt(error: unknown): error is NinoxInDoubtError {
	return error instanceof NinoxInDoubtError;
}

export function encodePath(segments: Array<string | number>): string {
	return segments.map((segment) => '/' + encodeURIComponent(String(segment))).join('');
}

export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
	const parts = Object.entries(query ?? {})
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
	return parts.length ? '?' + parts.join('&') : '';
}

/** Base URLs by execution: the credential is decrypted and checked once, not for every request. */
const baseUrls = new WeakMap<NinoxContext, Promise<string>>();

async function baseUrlOf(context: NinoxContext, itemIndex?: number): Promise<string> {
	let base = baseUrls.get(context);
	if (!base) {
		base = readBaseUrl(context, itemIndex);
		baseUrls.set(context, base);
		// A failure is not kept: it is reported for each item that tries, with that item's index.
		base.catch(() => baseUrls.delete(context));
	}
	return await base;
}

async function readBaseUrl(context: NinoxContext, itemIndex?: number): Promise<string> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const base = ninoxBaseUrl(credentials);
	let url: URL;
	try {
		url = new URL(base);
	} catch {
		throw new NodeOperationError(
			context.getNode(),
			`The Ninox credential's URL is not a valid URL: "${base}"`,
			{ itemIndex, description: 'Open the credential and enter the server address, e.g. https://ninox.example.com' },
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new NodeOperationError(
			context.getNode(),
			`The Ninox credential's URL must start with https:// (or http://), not "${url.protocol}"`,
			{ itemIndex },
		);
	}
	return base;
}

/** Sends one request to Ninox and returns its parsed body. */
export async function ninoxRequest<T = unknown>(context: NinoxContext, request: NinoxRequest): Promise<T> {
	return (await ninoxRequestFull<T>(context, request)).body;
}

/** Sends one request and returns body, status and headers; retries what is safe to retry. */
export async function ninoxRequestFull<T = unknown>(
	context: NinoxContext,
	request: NinoxRequest,
): Promise<NinoxResponse<T>> {
	// URLs read "." and ".." as steps up, whether encoded or not: such an id would reach another endpoint.
	const dots = request.path.map(String).find((segment) => segment === '.' || segment === '..');
	if (dots !== undefined) {
		throw new NodeOperationError(context.getNode(), `"${dots}" cannot be used as a Ninox ID or file name`, {
			itemIndex: request.itemIndex,
			description: 'In a URL "." and ".." mean the current and the parent path, so Ninox cannot be asked about it.',
		});
	}
	const base = await baseUrlOf(context, request.itemIndex);
	const repeatable = request.repeatable ?? request.method !== 'POST';
	const options: IHttpRequestOptions = {
		method: request.method,
		url: base + encodePath(request.path) + encodeQuery(request.query),
		headers: { Accept: request.binary ? '*/*' : 'application/json', ...request.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: !request.binary,
		...(request.binary ? { encoding: 'arraybuffer' as const } : {}),
		...(request.body !== undefined ? { body: request.body as IDataObject } : {}),
	};

	// Set once an attempt failed in a way that leaves open whether Ninox applied it.
	let earlierAttemptMayHaveApplied = false;
	for (let attempt = 1; ; attempt++) {
		let response: NinoxResponse<unknown>;
		try {
			const raw = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			)) as { body: unknown; statusCode: number; headers: Record<string, string> };
			response = { body: raw.body, status: raw.statusCode, headers: raw.headers ?? {} };
		} catch (error) {
			const code = networkErrorCode(error);
			const retry = IN_DOUBT_CODES.has(code) && repeatable && attempt < MAX_ATTEMPTS;
			if (retry) {
				earlierAttemptMayHaveApplied = true;
				await sleep(backoffMs(attempt));
				continue;
			}
			throw networkError.call(context, request, base, code, repeatable);
		}

		const { status } = response;
		if (status >= 200 && status < 300) {
			const parsed = parseBody(request, response);
			if (parsed.ok) return { ...response, body: parsed.value as T };
			if (repeatable && attempt < MAX_ATTEMPTS) {
				earlierAttemptMayHaveApplied = true;
				await sleep(backoffMs(attempt));
				continue;
			}
			throw invalidAnswer.call(context, request, status, parsed.problem, repeatable);
		}
		const retryAfterMs = status === 429 ? parseRetryAfter(response.headers['retry-after']) : undefined;
		const retry =
			attempt < MAX_ATTEMPTS &&
			((status === 429 && (retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS) ||
				(RETRYABLE_STATUS.has(status) && repeatable));
		if (retry) {
			earlierAttemptMayHaveApplied ||= status !== 429;
			await sleep(retryAfterMs ?? backoffMs(attempt));
			continue;
		}
		if (status === 404 && request.method === 'DELETE' && earlierAttemptMayHaveApplied) {
			// The earlier attempt deleted it and its answer was lost: what was asked for is done.
			return { ...response, status: 200, body: {} as T };
		}
		throw apiError.call(context, request, response, attempt, repeatable);
	}
}

/** Exponential backoff with a little jitter: 0.5 s, 1 s, 2 s, 4 s, … capped at 20 s. */
function backoffMs(attempt: number): number {
	return Math.min(500 * 2 ** (attempt - 1), 20_000) * (0.8 + Math.random() * 0.4);
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The connection error's code. n8n wraps the HTTP client's error in a NodeApiError that keeps only its
 * messages, so the code is read from wherever it survived.
 */
function networkErrorCode(error: unknown): string {
	const { code, message, messages, cause } = (error ?? {}) as {
		code?: unknown;
		message?: unknown;
		messages?: unknown;
		cause?: { code?: unknown };
	};
	if (typeof code === 'string' && code) return code;
	if (typeof cause?.code === 'string' && cause.code) return cause.code;
	const text = [message, ...(Array.isArray(messages) ? messages : [])].map(String).join(' ');
	const found = /\b(E[A-Z]{4,}|ERR_[A-Z_]+)\b/.exec(text);
	if (found) return found[1];
	if (/socket hang up|connection reset|aborted/i.test(text)) return 'ECONNRESET';
	if (/timeout/i.test(text)) return 'ETIMEDOUT';
	if (/invalid url/i.test(text)) return 'ERR_INVALID_URL';
	return 'UNKNOWN';
}

function describeRequest(request: NinoxRequest): string {
	return `${request.method} ${encodePath(request.path)}`;
}

function networkError(
	this: NinoxContext,
	request: NinoxRequest,
	base: string,
	code: string,
	repeatable: boolean,
): NodeApiError {
	const unsent = UNSENT_CODES.has(code);
	const inDoubt = !repeatable && !unsent;
	// The code goes into the description: n8n replaces any message that mentions one with a generic text.
	const message = unsent
		? `Could not reach Ninox at ${base}`
		: `The connection to Ninox broke during ${describeRequest(request)}`;
	const description =
		`(${code}) ` +
		(unsent
			? 'Check the environment and URL in the Ninox credential, and that the server is reachable from n8n.'
			: inDoubt
				? 'Ninox may or may not have applied this request. It was not sent again, so that nothing is written twice: check the data in Ninox before running it again.'
				: `The request was tried ${MAX_ATTEMPTS} times. Ninox or the network in between is not answering reliably; try again later.`);
	const ErrorClass = inDoubt ? NinoxInDoubtError : NodeApiError;
	return new ErrorClass(
		this.getNode(),
		{ message } as JsonObject,
		{ message, description, itemIndex: request.itemIndex },
	);
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

/** Ninox answers JSON; a proxy in between may answer HTML, nothing, or a body cut short. */
function parseBody(request: NinoxRequest, response: NinoxResponse<unknown>): Parsed {
	const { body, status } = response;
	if (request.binary) return { ok: true, value: toBuffer(body) };
	if (status === 204) return { ok: true, value: undefined };
	if (typeof body !== 'string') return { ok: true, value: body };
	// Every Ninox 200 carries a body (a delete answers {}); only 202/204 may be empty.
	if (body.trim() === '') return status === 200 ? { ok: false, problem: 'an empty body' } : { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(body) as unknown };
	} catch {
		// The file upload answers plain text ("File Uploaded Successfully"); anything else must be JSON.
		if (!looksLikeJsonOrHtml(body)) return { ok: true, value: body };
		return { ok: false, problem: looksLikeHtml(body) ? 'an HTML page' : 'incomplete JSON' };
	}
}

function looksLikeHtml(text: string): boolean {
	return /^\s*</.test(text);
}

function looksLikeJsonOrHtml(text: string): boolean {
	return /^\s*[[{<"]/.test(text);
}

function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'binary');
	return Buffer.alloc(0);
}

function invalidAnswer(
	this: NinoxContext,
	request: NinoxRequest,
	status: number,
	what: string,
	repeatable: boolean,
): NodeApiError {
	const message = `Ninox answered ${describeRequest(request)} with ${what} instead of JSON (HTTP ${status})`;
	const description = repeatable
		? `Tried ${MAX_ATTEMPTS} times. A proxy or gateway between n8n and Ninox may be answering, or the connection is cut: check the URL in the Ninox credential and try again.`
		: 'Ninox probably applied this request, but its answer was lost on the way. It was not sent again, so that nothing is written twice: check the data in Ninox before running it again.';
	const ErrorClass = repeatable ? NodeApiError : NinoxInDoubtError;
	return new ErrorClass(this.getNode(), { message } as JsonObject, {
		message,
		description,
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
}

/** Turns a Ninox error answer into a NodeApiError a user can act on. Never includes request headers. */
function apiError(
	this: NinoxContext,
	request: NinoxRequest,
	response: NinoxResponse<unknown>,
	attempts: number,
	repeatable: boolean,
): NodeApiError {
	const { status } = response;
	const ninoxMessage = errorMessageOf(request.binary ? toBuffer(response.body).toString('utf8') : response.body);
	const isWrite = request.method !== 'GET';
	let message: string;
	let description: string;
	switch (true) {
		case status === 401:
			message = 'Ninox rejected the personal access token (401 Unauthorized)';
			description =
				'The token is wrong, expired or revoked. Generate a new one in Ninox (gear icon → Integrations) and update the credential.';
			break;
		case status === 403:
			message = `Ninox denied access (403 Forbidden)${ninoxMessage ? ': ' + ninoxMessage : ''}`;
			description = 'The token belongs to a user without access to this team or database.';
			break;
		case status === 404:
			message = `${ninoxMessage || 'Not found'} (404)`;
			description = `Ninox has nothing at ${describeRequest(request)}: check the team, database, table, record and file ids.`;
			break;
		case status === 429:
			message = 'Ninox rate limit reached (429 Too Many Requests)';
			description = `Gave up after ${attempts} attempts. Ninox limits parallel calls and API calls per month: lower the poll rate, or send fewer, larger batches.`;
			break;
		case status === 500 && isWrite:
			message = `Ninox could not apply the ${request.method} (500)${ninoxMessage ? ': ' + ninoxMessage : ''}`;
			description =
				'Ninox answers 500 when a field name does not exist, is read-only or is a formula, or a value does not fit the field: check that every field name exists and is writable.';
			break;
		case status >= 500:
			message = `Ninox server error (${status})${ninoxMessage ? ': ' + ninoxMessage : ''}`;
			description =
				RETRYABLE_STATUS.has(status) && attempts > 1
					? `Tried ${attempts} times. Ninox is unavailable right now; try again later.`
					: 'Ninox could not handle the request; try again later.';
			break;
		default:
			message = `${ninoxMessage || 'Ninox rejected the request'} (${status})`;
			description = `Ninox rejected ${describeRequest(request)}.`;
	}
	if (looksLikeHtml(typeof response.body === 'string' ? response.body : '')) {
		description += ' The answer was an HTML page, not Ninox JSON: a proxy or the wrong URL may be in between.';
	}
	// A gateway may answer 502/504 after Ninox applied the request; one that must not run twice is then in doubt.
	const inDoubt = !repeatable && (status === 502 || status === 504);
	if (inDoubt) {
		description =
			`A gateway answered ${status}: Ninox may or may not have applied this request. It was not sent again, so that nothing is written twice: check the data in Ninox before running it again.`;
	}
	const ErrorClass = inDoubt ? NinoxInDoubtError : NodeApiError;
	return new ErrorClass(
		this.getNode(),
		{ message: ninoxMessage || message, httpCode: String(status) } as JsonObject,
		{ message, description, httpCode: String(status), itemIndex: request.itemIndex },
	);
}

function errorMessageOf(body: unknown): string {
	if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
		return (body as { message: string }).message;
	}
	if (typeof body === 'string' && body.trim() && !looksLikeHtml(body)) {
		try {
			return errorMessageOf(JSON.parse(body));
		} catch {
			return body.trim().slice(0, 200);
		}
	}
	return '';
}

// ─── pagination ─────────────────────────────────────────────────────────────

/** The largest page Ninox serves. Without perPage Ninox returns only the first 100 records. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Reads a list endpoint page by page (page/perPage) until a short page, or until `limit` records.
 * No hidden cap: with no limit it reads to the end, however long the table.
 */
export async function ninoxRequestAllPages<T>(
	context: NinoxContext,
	request: Omit<NinoxRequest, 'method'>,
	limit?: number,
	/** To go on where an earlier read of full pages (of MAX_PAGE_SIZE) stopped. */
	firstPage = 0,
): Promise<T[]> {
	const results: T[] = [];
	const perPage = limit !== undefined ? Math.max(1, Math.min(limit, MAX_PAGE_SIZE)) : MAX_PAGE_SIZE;
	for (let page = firstPage; ; page++) {
		const body = await ninoxRequest<unknown>(context, {
			...request,
			method: 'GET',
			query: { ...request.query, page, perPage },
		});
		const rows = (Array.isArray(body) ? body : body === undefined || body === null ? [] : [body]) as T[];
		for (const row of rows) {
			results.push(row);
			if (limit !== undefined && results.length >= limit) return results;
		}
		if (rows.length < perPage) return results;
	}
}

// ─── batching ───────────────────────────────────────────────────────────────

/** Splits items into batches of at most `size` (one request each). */
export function chunk<T>(items: T[], size: number): T[][] {
	const batches: T[][] = [];
	const step = Math.max(1, Math.floor(size));
	for (let i = 0; i < items.length; i += step) batches.push(items.slice(i, i + step));
	return batches;
}

// ─── paths ──────────────────────────────────────────────────────────────────

export function databasePath(teamId: string, databaseId: string): string[] {
	return ['teams', teamId, 'databases', databaseId];
}

export function tablePath(teamId: string, databaseId: string, tableId: string): string[] {
	return [...databasePath(teamId, databaseId), 'tables', tableId];
}

export function recordPath(teamId: string, databaseId: string, tableId: string, recordId: number): Array<string | number> {
	return [...tablePath(teamId, databaseId, tableId), 'records', recordId];
}
