/**
 * The transport core shared by both generations of Ninox: the request loop (retries with backoff, 429 and
 * Retry-After, 502/503/504 for repeatable requests, writes in doubt never resent, one request at a time),
 * redaction of the credential's secrets from anything a server sends back, the skeleton of error mapping,
 * path and query encoding, and the paging and batching helpers.
 *
 * What differs between the APIs lives in a `Dialect`. To add one (see nodes/Ninox/transport/index.ts):
 *   1. describe the API in a `Dialect`: its credential type, the base URL read from the credential, the secrets
 *      to redact (and what users call them), where its nodes keep the Timeout option, how to read the message out
 *      of an error body, the hints per HTTP status, and the 2xx answers that are not the API (`foreignAnswer`);
 *   2. `const transport = createTransport(dialect)` and export `transport.request` / `transport.requestFull`
 *      under the dialect's names;
 *   3. page with `readPagedList` (page/perPage until a short page) or `readOffsetList` (offset/limit until the
 *      server says there is no more), and batch with `chunk`.
 * Request paths are segment arrays after the base URL; each segment is URL-encoded here. Every request has a
 * timeout (the node's "Timeout" option, found at `timeoutParameters`, else DEFAULT_TIMEOUT_SECONDS): a timed-out
 * request that may be repeated is retried like a reset connection; one that must not be is reported in doubt.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

export type TransportContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export type QueryValue = string | number | boolean | undefined;

export interface TransportRequest {
	method: IHttpRequestMethods;
	/** Path segments after the base URL; each one is URL-encoded, so an id can never reach another endpoint. */
	path: Array<string | number>;
	query?: Record<string, QueryValue>;
	body?: unknown;
	headers?: Record<string, string>;
	/** The answer is bytes (file downloads, thumbnails). */
	binary?: boolean;
	/**
	 * An absolute URL outside the API (a presigned download link), sent without the credential so that the key
	 * never reaches another host; `path` and `query` are then not used.
	 */
	externalUrl?: string;
	/**
	 * May the request be sent again after a failure the server may already have acted on?
	 * Reads and id-keyed writes may; a create without ids or a writable script must not (it could run twice).
	 * Defaults to true for GET, PUT and DELETE, false for POST.
	 */
	repeatable?: boolean;
	/** The item the request is made for: named in errors. */
	itemIndex?: number;
}

export interface TransportResponse<T> {
	body: T;
	status: number;
	headers: Record<string, string | string[] | undefined>;
}

/** What a dialect is told about a failed request, to word its error. */
export interface ErrorFacts {
	request: TransportRequest;
	status: number;
	/** The server's own message, secrets already redacted ('' when it gave none). */
	serverMessage: string;
	attempts: number;
}

/** A message and what the user can do about it. */
export interface Explanation {
	message: string;
	description: string;
}

/** The facts of one API: everything the core needs to know and must not guess. */
export interface Dialect {
	/** The n8n credential type the requests are authenticated with. */
	credentialType: string;
	/** The product as users know it, in messages ("Ninox"). */
	product: string;
	/** The API's base URL from the credential, without a trailing slash. */
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/** An example server address, shown when the credential's is not a URL. */
	exampleUrl: string;
	/**
	 * The credential's secrets, as sent: replaced by *** in anything a server sends back (errors, items, headers),
	 * and refused before sending when they hold spaces or line breaks inside.
	 */
	secrets(credentials: ICredentialDataDecryptedObject): string[];
	/** What users call the secret, in messages ("personal access token"); "token" if not set. */
	secretName?: string;
	/** Where the nodes of this generation keep their "Timeout" option (seconds); the first one set wins. */
	timeoutParameters?: string[];
	/** The server's message in an error body (parsed JSON, or text); '' when there is none. */
	errorMessage(body: unknown): string;
	/**
	 * The dialect's wording for an error status, or undefined for the core's generic one.
	 * `serverMessage` has no secrets left in it.
	 */
	explain(facts: ErrorFacts): Explanation | undefined;
	/**
	 * Optional: a 2xx that is not what was asked for (Ninox 4 answers an unknown path with its web app's page; a
	 * download may be answered with a login page). `body` is the answer as received: text, bytes (binary
	 * requests) or the JSON n8n's client parsed. It is reported at once: sending it again would get the same.
	 */
	foreignAnswer?(request: TransportRequest, status: number, body: unknown): Explanation | undefined;
}

/** Attempts for one request: the first try and up to this many minus one retries. */
export const MAX_ATTEMPTS = 6;
/**
 * How long one attempt may wait for the server (n8n's HTTP client counts from the last byte received). The
 * slowest answers of the local server (1 000-record pages, 10 MB files, 200 ms latency) take well under 1 s;
 * 60 s leaves Ninox's busiest moments and long scripts room while a silent server still fails in bounded time.
 */
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** A Retry-After longer than this ends the retries with the 429 error instead of stalling the workflow. */
const MAX_RETRY_AFTER_MS = 60_000;
export const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** Connection failures after which the server may have received (and applied) the request. */
const IN_DOUBT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_BAD_RESPONSE']);
/** Connection failures that prove the request never reached a server. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Our name for "no answer within the timeout" (n8n's client reports it as ECONNABORTED or ETIMEDOUT). */
const TIMEOUT = 'TIMEOUT';

/** Thrown when a request that must not be repeated failed in a way that leaves open whether the server applied it. */
export class NinoxInDoubtError extends NodeApiError {
	readonly inDoubt = true;
}

export function isInDoubt(error: unknown): error is NinoxInDoubtError {
	return error instanceof NinoxInDoubtError;
}

// ─── encoding ───────────────────────────────────────────────────────────────

export function encodePath(segments: Array<string | number>): string {
	return segments.map((segment) => '/' + encodeURIComponent(String(segment))).join('');
}

export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
	const parts = Object.entries(query ?? {})
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
	return parts.length ? '?' + parts.join('&') : '';
}

// ─── redaction ──────────────────────────────────────────────────────────────

/** Secrets shorter than this are not searched for (they would match ordinary words). */
const MIN_SECRET_LENGTH = 6;

/** Replaces every secret in a text by ***. */
export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= MIN_SECRET_LENGTH && result.includes(secret)) result = result.split(secret).join('***');
	}
	return result;
}

/** Response headers with every secret in their values replaced by ***. */
function redactHeaders(
	headers: Record<string, string | string[] | undefined>,
	secrets: readonly string[],
): Record<string, string | string[] | undefined> {
	const clean: Record<string, string | string[] | undefined> = {};
	for (const [name, value] of Object.entries(headers)) {
		clean[name] = Array.isArray(value) ? value.map((entry) => redact(entry, secrets)) : value === undefined ? value : redact(String(value), secrets);
	}
	return clean;
}

// ─── the request loop ───────────────────────────────────────────────────────

interface Connection {
	base: string;
	secrets: string[];
	timeoutMs: number;
}

export interface Transport {
	readonly dialect: Dialect;
	/** Sends one request and returns its parsed body. */
	request<T = unknown>(context: TransportContext, request: TransportRequest): Promise<T>;
	/** Sends one request and returns body, status and headers; retries what is safe to retry. */
	requestFull<T = unknown>(context: TransportContext, request: TransportRequest): Promise<TransportResponse<T>>;
}

/** Requests of one execution go one at a time (Ninox limits parallel calls): each waits for the one before. */
const queues = new WeakMap<object, Promise<unknown>>();

async function oneAtATime<T>(context: object, send: () => Promise<T>): Promise<T> {
	const before = queues.get(context) ?? Promise.resolve();
	const mine = before.then(send, send);
	queues.set(
		context,
		mine.catch(() => undefined),
	);
	return await mine;
}

export function createTransport(dialect: Dialect): Transport {
	/** Base URL and secrets by execution: the credential is decrypted and checked once, not for every request. */
	const connections = new WeakMap<TransportContext, Promise<Connection>>();

	async function connectionOf(context: TransportContext, itemIndex?: number): Promise<Connection> {
		let connection = connections.get(context);
		if (!connection) {
			connection = readConnection(context, itemIndex);
			connections.set(context, connection);
			// A failure is not kept: it is reported for each item that tries, with that item's index.
			connection.catch(() => connections.delete(context));
		}
		return await connection;
	}

	async function readConnection(context: TransportContext, itemIndex?: number): Promise<Connection> {
		const credentials = await context.getCredentials(dialect.credentialType);
		const base = dialect.baseUrl(credentials);
		let url: URL;
		try {
			url = new URL(base);
		} catch {
			throw new NodeOperationError(
				context.getNode(),
				`The ${dialect.product} credential's URL is not a valid URL: "${base}"`,
				{ itemIndex, description: `Open the credential and enter the server address, e.g. ${dialect.exampleUrl}` },
			);
		}
		if (url.protocol !== 'https:' && url.protocol !== 'http:') {
			throw new NodeOperationError(
				context.getNode(),
				`The ${dialect.product} credential's URL must start with https:// (or http://), not "${url.protocol}"`,
				{ itemIndex },
			);
		}
		// Trimmed, as the credential sends them, and as typed, in case a server quotes what it was given.
		const typed = dialect.secrets(credentials);
		const secrets = [...new Set([...typed.map((secret) => secret.trim()), ...typed])].filter((secret) => secret !== '');
		const secretName = dialect.secretName ?? 'token';
		if (secrets.some((secret) => /\s/.test(secret.trim()))) {
			throw new NodeOperationError(
				context.getNode(),
				`The ${secretName} in the ${dialect.product} credential holds spaces or line breaks`,
				{ itemIndex, description: `A ${secretName} is one unbroken string: copy it from ${dialect.product} into the credential again.` },
			);
		}
		return { base, secrets, timeoutMs: timeoutMsOf(context) };
	}

	/** The node's Timeout option in milliseconds, or the default when it is not set. */
	function timeoutMsOf(context: TransportContext): number {
		for (const name of dialect.timeoutParameters ?? []) {
			let seconds: unknown;
			try {
				seconds =
					'getInputData' in context
						? context.getNodeParameter(name, 0, 0)
						: (context as IPollFunctions).getNodeParameter(name, 0);
			} catch {
				seconds = undefined;
			}
			if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return Math.round(seconds * 1000);
		}
		return DEFAULT_TIMEOUT_SECONDS * 1000;
	}

	async function requestFull<T = unknown>(
		context: TransportContext,
		request: TransportRequest,
	): Promise<TransportResponse<T>> {
		// URLs read "." and ".." as steps up, whether encoded or not: such an id would reach another endpoint.
		const dots = request.path.map(String).find((segment) => segment === '.' || segment === '..');
		if (dots !== undefined) {
			throw new NodeOperationError(
				context.getNode(),
				`"${dots}" cannot be used as a ${dialect.product} ID or file name`,
				{
					itemIndex: request.itemIndex,
					description: `In a URL "." and ".." mean the current and the parent path, so ${dialect.product} cannot be asked about it.`,
				},
			);
		}
		const connection = await connectionOf(context, request.itemIndex);
		return await oneAtATime(context, async () => await send<T>(context, request, connection));
	}

	async function send<T>(
		context: TransportContext,
		request: TransportRequest,
		connection: Connection,
	): Promise<TransportResponse<T>> {
		const { base, secrets, timeoutMs } = connection;
		const repeatable = request.repeatable ?? request.method !== 'POST';
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.externalUrl ?? base + encodePath(request.path) + encodeQuery(request.query),
			headers: { Accept: request.binary ? '*/*' : 'application/json', ...request.headers },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
			json: !request.binary,
			// Read as text and parsed here: the secrets are taken out of the text a server sent before anything
			// else sees it (one search of the text, no walk through the parsed answer).
			encoding: request.binary ? 'arraybuffer' : 'text',
			...(request.body !== undefined ? { body: request.body as IDataObject } : {}),
		};
		const errors = new ErrorMaker(context, dialect, request, connection, repeatable);

		// Set once an attempt failed in a way that leaves open whether the server applied it.
		let earlierAttemptMayHaveApplied = false;
		for (let attempt = 1; ; attempt++) {
			let response: TransportResponse<unknown>;
			try {
				// A presigned link goes without the credential: the key must never reach the storage host.
				const raw = (await (request.externalUrl
					? context.helpers.httpRequest(options)
					: context.helpers.httpRequestWithAuthentication.call(context, dialect.credentialType, options))) as {
					body: unknown;
					statusCode: number;
					headers: Record<string, string>;
				};
				response = {
					body: typeof raw.body === 'string' ? redact(raw.body, secrets) : raw.body,
					status: raw.statusCode,
					headers: redactHeaders(raw.headers ?? {}, secrets),
				};
			} catch (error) {
				const code = networkErrorCode(error);
				const retry = (IN_DOUBT_CODES.has(code) || code === TIMEOUT) && repeatable && attempt < MAX_ATTEMPTS;
				if (retry) {
					earlierAttemptMayHaveApplied = true;
					await sleep(backoffMs(attempt));
					continue;
				}
				throw errors.network(code, attempt);
			}

			const { status } = response;
			if (status >= 200 && status < 300) {
				const foreign = dialect.foreignAnswer?.(request, status, response.body);
				if (foreign) throw errors.explained(foreign, status);
				const parsed = parseBody(request, response);
				if (parsed.ok) return { ...response, body: parsed.value as T };
				if (repeatable && attempt < MAX_ATTEMPTS) {
					earlierAttemptMayHaveApplied = true;
					await sleep(backoffMs(attempt));
					continue;
				}
				throw errors.invalidAnswer(status, parsed.problem);
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
			throw errors.api(response, attempt);
		}
	}

	return {
		dialect,
		requestFull,
		async request<T = unknown>(context: TransportContext, request: TransportRequest): Promise<T> {
			return (await requestFull<T>(context, request)).body;
		},
	};
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
	const text = [message, ...(Array.isArray(messages) ? messages : [])].map(String).join(' ');
	// n8n's client names its own timeout ECONNABORTED ("timeout of 1000ms exceeded"); a silent server is no reset.
	if (/timeout of \d+ ?ms exceeded|timed? ?out\b/i.test(text)) return TIMEOUT;
	if (typeof code === 'string' && code) return code;
	if (typeof cause?.code === 'string' && cause.code) return cause.code;
	const found = /\b(E[A-Z]{4,}|ERR_[A-Z_]+)\b/.exec(text);
	if (found) return found[1];
	if (/socket hang up|connection reset|aborted/i.test(text)) return 'ECONNRESET';
	if (/timeout/i.test(text)) return 'ETIMEDOUT';
	if (/invalid url/i.test(text)) return 'ERR_INVALID_URL';
	return 'UNKNOWN';
}

export function describeRequest(request: TransportRequest): string {
	// A presigned URL's query is its signature: only its host is named.
	if (request.externalUrl) return `${request.method} ${/^[a-z]+:\/\/([^/?#]+)/i.exec(request.externalUrl)?.[1] ?? 'an external URL'}`;
	return `${request.method} ${encodePath(request.path)}`;
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

/** The APIs answer JSON; a proxy in between may answer HTML, nothing, or a body cut short. */
function parseBody(request: TransportRequest, response: TransportResponse<unknown>): Parsed {
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

export function looksLikeHtml(text: string): boolean {
	return /^\s*</.test(text);
}

function looksLikeJsonOrHtml(text: string): boolean {
	return /^\s*[[{<"]/.test(text);
}

export function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'binary');
	return Buffer.alloc(0);
}

function inDoubtAdvice(product: string): string {
	return `It was not sent again, so that nothing is written twice: check the data in ${product} before running it again.`;
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** Builds the errors of one request; every text a server sent is redacted before it goes in. */
class ErrorMaker {
	constructor(
		private readonly context: TransportContext,
		private readonly dialect: Dialect,
		private readonly request: TransportRequest,
		private readonly connection: Connection,
		private readonly repeatable: boolean,
	) {}

	private make(
		inDoubt: boolean,
		message: string,
		description: string,
		status?: number,
		serverMessage?: string,
	): NodeApiError {
		const ErrorClass = inDoubt ? NinoxInDoubtError : NodeApiError;
		const httpCode = status === undefined ? undefined : String(status);
		return new ErrorClass(
			this.context.getNode(),
			{ message: serverMessage || message, ...(httpCode ? { httpCode } : {}) } as JsonObject,
			{ message, description, itemIndex: this.request.itemIndex, ...(httpCode ? { httpCode } : {}) },
		);
	}

	network(code: string, attempts: number): NodeApiError {
		const { product } = this.dialect;
		const { base, timeoutMs } = this.connection;
		const unsent = UNSENT_CODES.has(code);
		const timedOut = code === TIMEOUT;
		const inDoubt = !this.repeatable && !unsent;
		// The code goes into the description: n8n replaces any message that mentions one with a generic text.
		const message = unsent
			? `Could not reach ${product} at ${base}`
			: timedOut
				? `${product} did not answer ${describeRequest(this.request)} within ${seconds(timeoutMs)}`
				: `The connection to ${product} broke during ${describeRequest(this.request)}`;
		const tried = attempts > 1 ? `Tried ${attempts} times` : 'Tried once';
		const description =
			`(${code}) ` +
			(unsent
				? `Check the environment and URL in the ${product} credential, and that the server is reachable from n8n.`
				: inDoubt
					? `${product} may or may not have applied this request. ${inDoubtAdvice(product)}`
					: timedOut
						? `${tried}, waiting ${seconds(timeoutMs)} each time. If ${product} needs longer, raise the node's Timeout option; otherwise try again later.`
						: `${tried}. ${product} or the network in between is not answering reliably; try again later.`);
		return this.make(inDoubt, message, description);
	}

	/** An answer the dialect recognised and explained (never in doubt: it did not reach the API). */
	explained({ message, description }: Explanation, status: number): NodeApiError {
		return this.make(false, message, description, status);
	}

	invalidAnswer(status: number, what: string): NodeApiError {
		const { product } = this.dialect;
		const message = `${product} answered ${describeRequest(this.request)} with ${what} instead of JSON (HTTP ${status})`;
		const description = this.repeatable
			? `Tried ${MAX_ATTEMPTS} times. A proxy or gateway between n8n and ${product} may be answering, or the connection is cut: check the URL in the ${product} credential and try again.`
			: `${product} probably applied this request, but its answer was lost on the way. ${inDoubtAdvice(product)}`;
		return this.make(!this.repeatable, message, description, status);
	}

	/** Turns an error answer into a NodeApiError a user can act on. Never includes request headers. */
	api(response: TransportResponse<unknown>, attempts: number): NodeApiError {
		const { product } = this.dialect;
		const { status } = response;
		const body = this.request.binary ? toBuffer(response.body).toString('utf8') : response.body;
		const serverMessage = redact(this.dialect.errorMessage(body), this.connection.secrets);
		const facts: ErrorFacts = { request: this.request, status, serverMessage, attempts };
		let { message, description } = this.dialect.explain(facts) ?? genericExplanation(product, facts);
		if (looksLikeHtml(typeof response.body === 'string' ? response.body : '')) {
			description += ` The answer was an HTML page, not ${product} JSON: a proxy or the wrong URL may be in between.`;
		}
		// A gateway may answer 502/504 after the server applied the request; one that must not run twice is then in doubt.
		const inDoubt = !this.repeatable && (status === 502 || status === 504);
		if (inDoubt) {
			description = `A gateway answered ${status}: ${product} may or may not have applied this request. ${inDoubtAdvice(product)}`;
		}
		return this.make(inDoubt, message, description, status, serverMessage);
	}
}

/** The wording for a status no dialect explains. */
export function genericExplanation(product: string, { request, status, serverMessage, attempts }: ErrorFacts): Explanation {
	const detail = serverMessage ? ': ' + serverMessage : '';
	switch (true) {
		case status === 401:
			return {
				message: `${product} rejected the credential (401 Unauthorized)`,
				description: 'The key is wrong, expired or revoked: update the credential.',
			};
		case status === 403:
			return {
				message: `${product} denied access (403 Forbidden)${detail}`,
				description: 'The credential has no access to this.',
			};
		case status === 404:
			return {
				message: `${serverMessage || 'Not found'} (404)`,
				description: `${product} has nothing at ${describeRequest(request)}.`,
			};
		case status === 429:
			return {
				message: `${product} rate limit reached (429 Too Many Requests)`,
				description: `Gave up after ${attempts} attempts. Lower the poll rate, or send fewer, larger batches.`,
			};
		case status >= 500:
			return {
				message: `${product} server error (${status})${detail}`,
				description:
					RETRYABLE_STATUS.has(status) && attempts > 1
						? `Tried ${attempts} times. ${product} is unavailable right now; try again later.`
						: `${product} could not handle the request; try again later.`,
			};
		default:
			return {
				message: `${serverMessage || `${product} rejected the request`} (${status})`,
				description: `${product} rejected ${describeRequest(request)}.`,
			};
	}
}

// ─── pagination ─────────────────────────────────────────────────────────────

/**
 * Reads a list page by page (numbered pages of `pageSize`) until a short page, or until `limit` rows.
 * No hidden cap: with no limit it reads to the end, however long the list.
 */
export async function readPagedList<T>(
	fetchPage: (page: number, pageSize: number) => Promise<T[]>,
	{ maxPageSize, limit, firstPage = 0 }: { maxPageSize: number; limit?: number; firstPage?: number },
): Promise<T[]> {
	const results: T[] = [];
	const pageSize = limit !== undefined ? Math.max(1, Math.min(limit, maxPageSize)) : maxPageSize;
	for (let page = firstPage; ; page++) {
		const rows = await fetchPage(page, pageSize);
		for (const row of rows) {
			results.push(row);
			if (limit !== undefined && results.length >= limit) return results;
		}
		if (rows.length < pageSize) return results;
	}
}

/**
 * Reads a list by offset and limit until the server says there is no more (`hasMore` false), or until `limit`
 * rows. An empty page also ends it, so a server that never says "no more" cannot loop forever.
 */
export async function readOffsetList<T>(
	fetchPage: (offset: number, pageSize: number) => Promise<{ rows: T[]; hasMore: boolean }>,
	{ maxPageSize, limit }: { maxPageSize: number; limit?: number },
): Promise<T[]> {
	const results: T[] = [];
	for (let offset = 0; ; ) {
		const wanted = limit === undefined ? maxPageSize : Math.max(1, Math.min(limit - results.length, maxPageSize));
		const { rows, hasMore } = await fetchPage(offset, wanted);
		for (const row of rows) {
			results.push(row);
			if (limit !== undefined && results.length >= limit) return results;
		}
		if (!hasMore || rows.length === 0) return results;
		offset += rows.length;
	}
}

/** Rows of a list answer: an array as is, nothing as none, one object as one row. */
export function rowsOf<T>(body: unknown): T[] {
	return (Array.isArray(body) ? body : body === undefined || body === null ? [] : [body]) as T[];
}

// ─── batching ───────────────────────────────────────────────────────────────

/** Splits items into batches of at most `size` (one request each). */
export function chunk<T>(items: T[], size: number): T[][] {
	const batches: T[][] = [];
	const step = Math.max(1, Math.floor(size));
	for (let i = 0; i < items.length; i += step) batches.push(items.slice(i, i + step));
	return batches;
}
