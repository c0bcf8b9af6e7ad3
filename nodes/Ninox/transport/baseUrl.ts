import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Where the API lives for the credential's environment; never ends in a slash, always in /v1. */
export function ninoxBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.environment === 'publicCloud' || credentials.environment === undefined) {
		return 'https://api.ninox.com/v1';
	}
	let url: string;
	if (credentials.environment === 'privateCloud') {
		const workspace = String(credentials.workspace ?? '').trim();
		if (/^https?:\/\//i.test(workspace)) {
			url = workspace;
		} else {
			const host = workspace.replace(/\/+$/, '');
			url = 'https://' + (host.includes('.') ? host : host + '.ninoxdb.de');
		}
	} else {
		url = String(credentials.baseUrl ?? '').trim();
		// A bare host ("ninox.example.com") means https, as for the Private Cloud.
		if (url !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = 'https://' + url;
	}
	return url.replace(/\/+$/, '').replace(/\/v1$/i, '') + '/v1';
}
