import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The API's root as an n8n expression, for the credential test (which n8n runs without our code). It must build
 * exactly what `ninox4ApiRoot()` in nodes/Ninox4/transport/connection.ts builds; a test holds the two together.
 */
const API_ROOT_EXPRESSION =
	"={{ ((u) => /^[a-z][a-z0-9+.-]*:\\/\\//i.test(u) ? u : 'https://' + u)(String($credentials.baseUrl ?? '').trim() || 'https://go.ninox.com')" +
	".replace(/\\/+$/, '').replace(/\\/api\\/v1$/i, '')" +
	" + '/api/v1/workspace/' + encodeURIComponent(String($credentials.workspaceId ?? '').trim()) }}";

export class Ninox4Api implements ICredentialType {
	name = 'ninox4Api';

	displayName = 'Ninox 4 API';

	icon: Icon = { light: 'file:ninox.svg', dark: 'file:ninox.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-ninox-api/n8n-nodes-ninox-api#ninox-4';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In Ninox 4: the gear icon → Settings → Workspace → API & integrations → Create API key. A key works in its own workspace only.',
		},
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '5rdco4s18swu',
			description: '12 lowercase letters and digits',
			hint: 'The second path segment of the browser URL: https://go.ninox.com/{organizationId}/{workspaceId}/…',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://go.ninox.com',
			required: true,
			description: 'Where Ninox 4 runs. https:// and the /api/v1 path are added for you, and a trailing slash does no harm.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// A key pasted with a space or line break around it would be rejected as a wrong key.
				Authorization: "=Bearer {{ String($credentials.apiKey ?? '').trim() }}",
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_ROOT_EXPRESSION,
			url: '',
		},
		rules: [
			{
				// Ninox 4 answers a path it does not know with its web app's HTML page and status 200: success is
				// JSON with `data` only.
				type: 'responseSuccessBody',
				properties: {
					key: 'data',
					value: undefined,
					message:
						'The answer is not from the Ninox 4 API: check the Base URL and the Workspace ID (12 lowercase letters and digits)',
				},
			},
		],
	};
}
