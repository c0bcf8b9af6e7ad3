import { defineResource } from '../../../Ninox/actions/resource';
import * as execute from './execute.operation';

export const scriptResource = defineResource(
	'script',
	[
		{
			name: 'Execute',
			value: 'execute',
			description: 'Run Ninox script in a module (it may change data)',
			action: 'Execute a script',
		},
	],
	{ execute },
);
