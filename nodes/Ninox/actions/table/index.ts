import { defineResource } from '../resource';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const table = defineResource(
	'table',
	[
		{
			name: 'Get',
			value: 'get',
			description: 'Get a table with its fields, their types and choices',
			action: 'Get a table',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the tables of a database, each with its fields',
			action: 'Get many tables',
		},
	],
	{ get, getAll },
);
