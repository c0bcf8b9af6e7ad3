import { defineResource } from '../resource';
import * as getAll from './getAll.operation';
import * as getSchema from './getSchema.operation';

export const database = defineResource(
	'database',
	[
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the databases of a team',
			action: 'Get many databases',
		},
		{
			name: 'Get Schema',
			value: 'getSchema',
			description: 'Get the settings and schema of a database, formula fields included',
			action: 'Get the schema of a database',
		},
	],
	{ getAll, getSchema },
);
