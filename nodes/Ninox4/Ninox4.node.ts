import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { subtitleOf } from '../Ninox/actions/resources';
import { routeTo } from '../Ninox/actions/router';
import { requestOptionsParameter } from '../shared/requestOptions';
import { checkPastedUrls } from './actions/pastedUrls';
import { resources, resourceSelector } from './actions/resources';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class Ninox4 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ninox 4',
		name: 'ninox4',
		icon: { light: 'file:ninox4.svg', dark: 'file:ninox4.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: subtitleOf(resourceSelector, resources),
		description: 'Read and write Ninox 4 workspaces (go.ninox.com): records, modules, tables, fields, scripts and reports',
		defaults: { name: 'Ninox 4' },
		documentationUrl: 'https://github.com/n8n-nodes-ninox-api/n8n-nodes-ninox-api#ninox-4',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ninox4Api', required: true }],
		properties: [
			resourceSelector,
			...Object.values(resources).flatMap((resource) => resource.description),
			// Read by the transport (the dialect's timeoutParameters).
			requestOptionsParameter('Ninox 4'),
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		await checkPastedUrls.call(this);
		return await routeTo.call(this, resources);
	}
}
