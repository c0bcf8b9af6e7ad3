import type { INodeProperties } from 'n8n-workflow';

import type { NinoxResource } from '../../Ninox/actions/resource';
import { fieldResource } from './field';
import { moduleResource } from './module';
import { recordResource } from './record';
import { reportResource } from './report';
import { scriptResource } from './script';
import { tableResource } from './table';
import { viewResource } from './view';
import { workspaceResource } from './workspace';

/** Every resource of the node, keyed by its parameter value. */
export const resources: Record<string, NinoxResource> = {
	field: fieldResource,
	module: moduleResource,
	record: recordResource,
	report: reportResource,
	script: scriptResource,
	table: tableResource,
	view: viewResource,
	workspace: workspaceResource,
};

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Field', value: 'field', description: 'The fields of a table (schema)' },
		{ name: 'Module', value: 'module', description: 'The apps of the workspace' },
		{ name: 'Record', value: 'record' },
		{ name: 'Report', value: 'report', description: 'Print reports as PDF' },
		{ name: 'Script', value: 'script', description: 'Run Ninox script' },
		{ name: 'Table', value: 'table' },
		{ name: 'View', value: 'view' },
		{ name: 'Workspace', value: 'workspace' },
	],
	default: 'record',
};
