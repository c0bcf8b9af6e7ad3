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
import { createTransport, describeRequest, genericExplanation, looksLikeHtml, readPagedList, rowsOf } from '../../shared/transport';
import { ninoxBaseUrl } from './baseUrl';

export {
	chunk,
	encodePath,
	encodeQuery,
	isInDoubt,
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
				message: `${serverMessage || 'Not found'} (404)`,
				description: `Ninox has nothing at ${describeRequest(request)}: check the team, database, table, record and file ids.`,
			};
		case status === 429:
			return {
				...genericExplanation('Ninox', facts),
				description: `Gave up after ${facts.attempts} attempts. Ninox limits parallel calls and API calls per month: lower the poll rate, or send fewer, larger batches.`,
			};
		case status === 500 && request.method !== 'GET':
			return {
				message: `Ninox could not apply the ${request.method} (500)${serverMessage ? ': ' + serverMessage : ''}`,
				description:
					'Ninox answers 500 when a field name does not exist, is read-only or is a formula, or a value does not fit the field: check that every field name exists and is writable.',
			};
		default:
			return undefined;
	}
}

export const classicDialect: Dialect = {
	credentialType: CREDENTIAL_TYPE,
	product: 'Ninox',
	baseUrl: ninoxBaseUrl,
	exampleUrl: 'https://ninox.example.com',
	secrets: (credentials: ICredentialDataDecryptedObject) => [String(credentials.token ?? '')],
	errorMessage,
	explain,
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
