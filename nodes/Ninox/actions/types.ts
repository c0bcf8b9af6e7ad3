import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * One user-visible operation. It either handles one item at a time (`executeItem`: the router pairs its results
 * with the item and turns its errors into error items under continueOnFail), or all items at once (`executeAll`:
 * for batched writes, which pair and report per item themselves).
 */
export interface NinoxOperation {
	description: INodeProperties[];
	executeItem?: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]>;
	executeAll?: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
}

export type ResourceOperations = Record<string, NinoxOperation>;
