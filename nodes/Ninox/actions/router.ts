import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem } from './errors';
import type { NinoxResource } from './resource';
import { resources } from './resources';

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}

/** Hands the items to the chosen operation; per item: results paired, errors kept as error items on continueOnFail. */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeTo.call(this, resources);
}

/** The router for a node of its own resources (the Ninox 4 node shares it). */
export async function routeTo(this: IExecuteFunctions, resources: Record<string, NinoxResource>): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	if (operation.executeAll) {
		return [await operation.executeAll.call(this, items)];
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation.executeItem!.call(this, itemIndex);
			const results = Array.isArray(result) ? result : [result];
			for (const entry of results as Array<IDataObject | INodeExecutionData>) {
				const item = isExecutionData(entry) ? entry : { json: entry };
				returnData.push({ ...item, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			returnData.push(errorItem(error, itemIndex));
		}
	}
	return [returnData];
}
