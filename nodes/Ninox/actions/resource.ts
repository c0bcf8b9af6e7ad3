import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { NinoxOperation, ResourceOperations } from './types';

export interface NinoxResource {
	/** The operation selector followed by every operation's parameters, each shown only for its operation. */
	description: INodeProperties[];
	operations: ResourceOperations;
}

/** Builds a resource from its operations: `options` name them in the UI (value = key in `operations`). */
export function defineResource(
	resource: string,
	options: Array<INodePropertyOptions & { value: string }>,
	operations: ResourceOperations,
): NinoxResource {
	const sorted = [...options].sort((a, b) => a.name.localeCompare(b.name));
	// Each resource starts on its first operation (a name, not an expression: n8n's checks read it as computed).
	const firstOperation = sorted[0]?.value ?? '';
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: sorted,
		default: firstOperation,
	};
	const description = Object.entries(operations).flatMap(([operation, { description }]: [string, NinoxOperation]) =>
		updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, description),
	);
	return { description: [selector, ...description], operations };
}
