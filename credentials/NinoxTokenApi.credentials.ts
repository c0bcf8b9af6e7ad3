import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The base URL as an n8n expression, for the credential test (which n8n runs without our code).
 * It must build exactly what `ninoxBaseUrl()` in nodes/Ninox/transport/baseUrl.ts builds; a test holds the two together.
 */
const BASE_URL_EXPRESSION =
	"={{ $credentials.environment === 'publicCloud' ? 'https://api.ninox.com/v1'" +
	" : ((url) => url.replace(/\\/+$/, '').replace(/\\/v1$/i, '') + '/v1')(" +
	"$credentials.environment === 'privateCloud'" +
	" ? ((w) => /^https?:\\/\\//i.test(w) ? w : 'https://' + (w.replace(/\\/+$/, '').includes('.') ? w : w.replace(/\\/+$/, '') + '.ninoxdb.de'))(String($credentials.workspace ?? '').trim())" +
	" : ((u) => u === '' || /^[a-z][a-z0-9+.-]*:\\/\\//i.test(u) ? u : 'https://' + u)(String($credentials.baseUrl ?? '').trim())) }}";

/** What the credential test tells a user whose server answered, but not as Ninox does (a list of teams). */
const NOT_NINOX =
	'This server answered, but not as the Ninox API does: check the environment and the server URL (another application, such as n8n itself, or a sign-in page may be answering there).';

export class NinoxTokenApi implements ICredentialType {
	name = 'ninoxTokenApi';

	displayName = 'Ninox Token API';

	icon: Icon = { light: 'file:ninox.svg', dark: 'file:ninox.dark.svg' };

	documentationUrl = 'https://docs.ninox.com/en/api/introduction';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'publicCloud',
			options: [
				{
					name: 'On-Premise or Custom URL',
					value: 'onPremise',
					description: 'A Ninox server of your own, or any full base URL',
				},
				{
					name: 'Private Cloud',
					value: 'privateCloud',
					description: 'Your workspace at {name}.ninoxdb.de or its custom domain',
				},
				{
					name: 'Public Cloud',
					value: 'publicCloud',
					description: 'app.ninox.com (API at api.ninox.com)',
				},
			],
		},
		{
			displayName: 'Workspace Domain',
			name: 'workspace',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'mycompany.ninoxdb.de',
			description:
				'The address of your Private Cloud: the name before .ninoxdb.de (e.g. mycompany) or the whole domain, custom domains included. The /v1 path is added for you.',
			displayOptions: { show: { environment: ['privateCloud'] } },
		},
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://ninox.example.com',
			description:
				'The base URL of your Ninox server. The /v1 path is added for you, and a trailing slash does no harm.',
			hint: 'Starts with https:// (or http://); without one, https:// is assumed',
			displayOptions: { show: { environment: ['onPremise'] } },
		},
		{
			displayName: 'Personal Access Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In the Ninox web app: the gear icon (Actions) at the top right → Integrations → Generate. The token grants read and write access to all your databases.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// Trimmed: a token pasted with a line break or spaces around it is still the token.
				Authorization: '=Bearer {{String($credentials.token ?? "").trim()}}',
			},
		},
	};

	/**
	 * GET /teams, read as text: Ninox answers a JSON list ("[…"). Any other 2xx is not Ninox; the rules (n8n checks a
	 * key of the answer) catch a web page ("<…", n8n's own editor on :5678, a sign-in page) and a JSON object ("{…").
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/teams',
			encoding: 'text',
		},
		rules: [
			{ type: 'responseSuccessBody', properties: { key: '0', value: '<', message: NOT_NINOX } },
			{ type: 'responseSuccessBody', properties: { key: '0', value: '{', message: NOT_NINOX } },
		],
	};
}
