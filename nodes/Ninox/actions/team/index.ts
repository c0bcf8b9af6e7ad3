import { defineResource } from '../resource';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const team = defineResource(
	'team',
	[
		{ name: 'Get', value: 'get', description: 'Get a team (workspace) by ID', action: 'Get a team' },
		{ name: 'Get Many', value: 'getAll', description: 'List the teams the token can access', action: 'Get many teams' },
	],
	{ get, getAll },
);
