import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../../Ninox/helpers/parameters';
import { workspaceIdOf } from '../transport/connection';
import { CREDENTIAL_TYPE } from '../transport';
import { WORKSPACE_OF_URL } from '../transport/facts';

/**
 * A module or table pasted as a go.ninox.com URL must be of the credential's workspace: a module of the same name
 * in the credential's workspace would otherwise be read or written without a word. Checked before any request.
 */
export async function checkPastedUrls(this: IExecuteFunctions): Promise<void> {
	let workspaceId: string;
	try {
		workspaceId = workspaceIdOf(await this.getCredentials(CREDENTIAL_TYPE));
	} catch {
		return; // the transport reports a bad credential, for each item
	}
	const itemCount = this.getInputData().length;
	for (const name of ['module', 'table']) {
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			const locator = itemParameter(this, name, itemIndex, null) as { mode?: string; value?: unknown } | null;
			if (locator?.mode !== 'url') continue;
			const urlWorkspace = WORKSPACE_OF_URL.exec(String(locator.value ?? ''))?.[1];
			if (urlWorkspace !== undefined && urlWorkspace !== workspaceId) {
				throw new NodeOperationError(this.getNode(), `The ${name} URL is of workspace ${urlWorkspace}, the credential of workspace ${workspaceId}`, {
					itemIndex,
					description: 'Paste a URL of the credential\'s workspace, or use a credential of that workspace (an API key works in its own workspace only).',
				});
			}
		}
	}
}
