import { defineResource } from '../resource';
import * as execute from './execute.operation';
import * as query from './query.operation';

export const script = defineResource(
	'script',
	[
		{
			name: 'Execute',
			value: 'execute',
			description: 'Run a script that may create, change or delete records',
			action: 'Execute a writable script',
		},
		{
			name: 'Query',
			value: 'query',
			description: 'Run a read-only script and return its result',
			action: 'Query with a read-only script',
		},
	],
	{ execute, query },
);
