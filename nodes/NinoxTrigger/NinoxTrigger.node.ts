import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export class NinoxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ninox Trigger',
		name: 'ninoxTrigger',
		icon: { light: 'file:ninox.svg', dark: 'file:ninox.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Ninox records are created, updated or deleted',
		defaults: { name: 'Ninox Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ninoxTokenApi', required: true }],
		properties: [],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return null;
	}
}
