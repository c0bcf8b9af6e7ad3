import { defineResource } from '../../../Ninox/actions/resource';
import * as get from './get.operation';

export const workspaceResource = defineResource(
	'workspace',
	[
		{
			name: 'Get',
			value: 'get',
			description: 'Get the workspace of the credential with its modules, tables and fields',
			action: 'Get the workspace',
		},
	],
	{ get },
);
