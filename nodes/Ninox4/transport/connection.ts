import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://go.ninox.com';

const WORKSPACE_ID = /^[a-z0-9]{12}$/;

/** The credential's workspace ID, checked: 12 lowercase letters and digits (the spec's pattern). */
export function workspaceIdOf(credentials: ICredentialDataDecryptedObject): string {
	const id = String(credentials.workspaceId ?? '').trim();
	if (!WORKSPACE_ID.test(id)) {
		throw new Error(
			id === ''
				? 'The Ninox 4 credential has no workspace ID'
				: `The Ninox 4 credential's workspace ID "${id}" is not 12 lowercase letters and digits`,
		);
	}
	return id;
}

/**
 * `{base}/api/v1/workspace/{workspaceId}`: every path of the API starts here. A base URL without a scheme gets
 * https://; a trailing slash or /api/v1 is dropped. The credential test builds the same URL as an expression.
 */
export function ninox4ApiRoot(credentials: ICredentialDataDecryptedObject): string {
	const given = String(credentials.baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `https://${given}`;
	const base = withScheme.replace(/\/+$/, '').replace(/\/api\/v1$/i, '');
	return `${base}/api/v1/workspace/${encodeURIComponent(workspaceIdOf(credentials))}`;
}
