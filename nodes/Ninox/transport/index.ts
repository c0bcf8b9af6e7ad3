/**
 * The single door for HTTP to classic Ninox (teams → databases → tables, personal access token, /v1).
 * The request loop, retries, redaction, paging and batching are the shared core's (nodes/shared/transport.ts);
 * this file holds only the classic API's facts: its credential, base URL, error bodies, hints and paths.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type {
	Dialect,
	ErrorFacts,
	Explanation,
	QueryValue,
	TransportContext,
	TransportRequest,
	TransportResponse,
} from '../../shared/transport';
import {
	createTransport,
	describeRequest,
	genericExplanation,
	looksLikeHtml,
	readPagedList,
	rowsOf,
	toBuffer,
} from '../../shared/transport';
import { TIMEOUT_PARAMETERS } from '../../shared/requestOptions';
import { ninoxBaseUrl } from './baseUrl';

export {
	chunk,
	encodePath,
	encodeQuery,
	isInDoubt,
	DEFAULT_TIMEOUT_SECONDS,
	MAX_ATTEMPTS,
	NinoxInDoubtError,
	parseRetryAfter,
} from '../../shared/transport';
export type { QueryValue };

export const CREDENTIAL_TYPE = 'ninoxTokenApi';

export type NinoxContext = TransportContext;
export type NinoxRequest = TransportRequest;
export type NinoxResponse<T> = TransportResponse<T>;

/** Ninox's error bodies are `{message}`; a plain-text body is its own message; an HTML page says nothing. */
function errorMessage(body: unknown): string {
	if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
		return (body as { message: string }).message;
	}
	if (typeof body === 'string' && body.trim() && !looksLikeHtml(body)) {
		try {
			return errorMessage(JSON.parse(body));
		} catch {
			return body.trim().slice(0, 200);
		}
	}
	return '';
}

/** What a classic path is about: /teams/{t}/databases/{d}/tables/{tid}/records/{rid}/files/{name}[/thumb.jpg]. */
interface PathParts {
	team?: string;
	database?: string;
	table?: string;
	record?: string;
	file?: string;
	thumbnail?: boolean;
}

const PATH_KEYS: Record<string, keyof PathParts> = {
	teams: 'team',
	databases: 'database',
	tables: 'table',
	records: 'record',
	record: 'record',
	files: 'file',
};

function pathParts(path: Array<string | number>): PathParts {
	const parts: PathParts = {};
	for (let i = 0; i < path.length; i++) {
		const key = PATH_KEYS[String(path[i])];
		if (key && i + 1 < path.length) (parts as Record<string, string>)[key] = String(path[++i]);
		else if (parts.file !== undefined && path[i] === 'thumb.jpg') parts.thumbnail = true;
	}
	return parts;
}

/** An id as it goes into a message: long ones are cut. */
function shown(id: string): string {
	return id.length > 60 ? id.slice(0, 59) + '…' : id;
}

/**
 * "Table ZZ not found in database D of team T": what Ninox did not find, in words. Ninox's message names the kind
 * ("Table not found"); without one, the deepest thing the path names is the one missing.
 */
function notFoundMessage(path: Array<string | number>, serverMessage: string): string | undefined {
	const { team, database, table, record, file } = pathParts(path);
	const named = /^(team|database|table|record|file)\b/i.exec(serverMessage)?.[1]?.toLowerCase();
	const missing = named ?? (file ? 'file' : record ? 'record' : table ? 'table' : database ? 'database' : team ? 'team' : undefined);
	const id = (value: string | undefined) => shown(value ?? '?');
	switch (missing) {
		case 'team':
			return `Team ${id(team)} not found`;
		case 'database':
			return `Database ${id(database)} not found in team ${id(team)}`;
		case 'table':
			return `Table ${id(table)} not found in database ${id(database)} of team ${id(team)}`;
		case 'record':
			return `Record ${id(record)} not found in table ${id(table)} of database ${id(database)}`;
		case 'file':
			return `File "${id(file)}" not found on record ${id(record)} of table ${id(table)}`;
		default:
			return undefined;
	}
}

/** The field names (or ids) a record write sent: what a bare 500 is most likely about. */
function fieldsSent(body: unknown): string[] {
	const names = new Set<string>();
	for (const entry of Array.isArray(body) ? body : [body]) {
		if (typeof entry !== 'object' || entry === null) continue;
		const { fields } = entry as { fields?: unknown };
		const keys = typeof fields === 'object' && fields !== null ? Object.keys(fields) : Object.keys(entry);
		for (const key of keys) if (!key.startsWith('_') && key !== 'id' && key !== 'fields') names.add(key);
	}
	return [...names];
}

function writeRefused(request: NinoxRequest): string {
	const fields = fieldsSent(request.body);
	const listed = fields.length > 8 ? [...fields.slice(0, 8), `and ${fields.length - 8} more`] : fields;
	return fields.length
		? `Ninox gives no reason: check that each field sent (${listed.join(', ')}) exists, is not a formula, and takes its value.`
		: 'Ninox gives no reason: check that each field exists, is not a formula, and takes its value.';
}

function explain(facts: ErrorFacts): Explanation | undefined {
	const { request, status, serverMessage } = facts;
	switch (true) {
		case status === 401:
			return {
				message: 'Ninox rejected the personal access token (401 Unauthorized)',
				description:
					'The token is wrong, expired or revoked. Generate a new one in Ninox (gear icon → Integrations) and update the credential.',
			};
		case status === 403:
			return {
				message: `Ninox denied access (403 Forbidden)${serverMessage ? ': ' + serverMessage : ''}`,
				description: 'The token belongs to a user without access to this team or database.',
			};
		case status === 404:
			return {
				message: `${notFoundMessage(request.path, serverMessage) ?? (serverMessage || 'Not found')} (404)`,
				description: `Ninox has nothing at ${describeRequest(request)}: check the IDs, or pick team, database and table from the lists.`,
			};
		case status === 429:
			return {
				...genericExplanation('Ninox', facts),
				description: `Gave up after ${facts.attempts} attempts. Ninox limits parallel calls and API calls per month: lower the poll rate, or send fewer, larger batches.`,
			};
		case status === 500 && request.method !== 'GET' && pathParts(request.path).table !== undefined:
			return {
				message: `Ninox could not apply the ${request.method} (500)${serverMessage ? ': ' + serverMessage : ''}`,
				description: writeRefused(request),
			};
		default:
			return undefined;
	}
}

/** A whole web page (not a file that happens to start with "<"). */
function isWebPage(text: string): boolean {
	return /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

/**
 * Downloads and thumbnails that are not the file: Ninox's documented `null` for a file without a thumbnail, and a
 * web page (a sign-in page or a proxy) where a file that is no web page was asked for.
 */
function foreignAnswer(request: NinoxRequest, status: number, body: unknown): Explanation | undefined {
	const { file, thumbnail } = pathParts(request.path);
	if (!request.binary || file === undefined) return undefined;
	const start = toBuffer(body).subarray(0, 256).toString('utf8');
	const name = `"${shown(file)}"`;
	if (thumbnail && (start.trim() === 'null' || start.trim() === '')) {
		return {
			message: `Ninox has no thumbnail for the file ${name}`,
			description: 'Ninox answered null instead of an image: it makes thumbnails for images only. File → Download gets the file itself.',
		};
	}
	if (isWebPage(start) && (thumbnail || !/\.html?$/i.test(file))) {
		return {
			message: `Ninox answered the ${thumbnail ? 'thumbnail' : 'download'} of ${name} with a web page, not the file (HTTP ${status})`,
			description:
				'A sign-in page or a proxy answered instead of the Ninox API: check the server URL in the Ninox credential and that the API is reachable without a browser sign-in.',
		};
	}
	return undefined;
}

export const classicDialect: Dialect = {
	credentialType: CREDENTIAL_TYPE,
	product: 'Ninox',
	baseUrl: ninoxBaseUrl,
	exampleUrl: 'https://ninox.example.com',
	secrets: (credentials: ICredentialDataDecryptedObject) => [String(credentials.token ?? '')],
	secretName: 'personal access token',
	timeoutParameters: TIMEOUT_PARAMETERS,
	errorMessage,
	explain,
	foreignAnswer,
};

const transport = createTransport(classicDialect);

/** Sends one request to Ninox and returns its parsed body. */
export const ninoxRequest = transport.request;

/** Sends one request and returns body, status and headers; retries what is safe to retry. */
export const ninoxRequestFull = transport.requestFull;

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
	return await readPagedList<T>(
		async (page, perPage) =>
			rowsOf<T>(await ninoxRequest(context, { ...request, method: 'GET', query: { ...request.query, page, perPage } })),
		{ maxPageSize: MAX_PAGE_SIZE, limit, firstPage },
	);
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
