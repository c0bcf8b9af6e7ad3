/** What the benchmark's bare contenders need to know of each generation's API: its root, credential and auth. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { localCredentials, localNinox4Credentials } from '../harness/engine';
import type { Connection } from './workloads';

export interface BenchApi {
	credentialType: string;
	/** The path of the API's root on the server (after its origin). */
	root(connection: Connection): string;
	credentials(connection: Connection): ICredentialDataDecryptedObject;
}

export const CLASSIC_API: BenchApi = {
	credentialType: 'ninoxTokenApi',
	root: () => '/v1',
	credentials: (connection) => localCredentials(connection),
};

export const NINOX4_API: BenchApi = {
	credentialType: 'ninox4Api',
	root: (connection) => `/api/v1/workspace/${connection.workspaceId ?? ''}`,
	credentials: (connection) =>
		localNinox4Credentials({ url: connection.url, key: connection.token, workspaceId: connection.workspaceId ?? '' }),
};
