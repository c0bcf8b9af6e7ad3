import type { ILoadOptionsFunctions } from 'n8n-workflow';

import type { LocatorName } from '../actions/common';
import { selectedIds } from '../actions/common';

/**
 * In the editor: the ids the locators select so far ('' for one not chosen yet; the node's saved value when the
 * editor sends none), checked against each other as a run checks them.
 */
export function selectedLocators<N extends LocatorName>(context: ILoadOptionsFunctions, names: readonly N[]): Record<N, string> {
	return selectedIds(
		context,
		names,
		(name) => context.getCurrentNodeParameter(name) ?? context.getNodeParameter(name, ''),
	);
}
