import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** The item continueOnFail leaves in place of a failed one: the error's message, description and status. */
export function errorItem(error: unknown, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const { message, description, httpCode } = error as { message?: string; description?: string; httpCode?: string };
	return {
		json: {
			error: message ?? String(error),
			...(description ? { description } : {}),
			...(httpCode ? { httpCode } : {}),
			...extra,
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * Our errors are NodeApiError / NodeOperationError already; anything else is wrapped. Either way the error names
 * the item it broke on (n8n shows it), also where a shared helper did not know it.
 */
export function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
