import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resources, resourceSelector } from './actions/resources';
import { route } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class Ninox implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ninox',
		name: 'ninox',
		icon: { light: 'file:ninox.svg', dark: 'file:ninox.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and write Ninox databases: records, files, scripts and changes',
		defaults: { name: 'Ninox' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ninoxTokenApi', required: true }],
		properties: [resourceSelector, ...Object.values(resources).flatMap((resource) => resource.description)],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
