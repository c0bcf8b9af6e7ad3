import type { INodeProperties } from 'n8n-workflow';

import { booleanOption, labelOption, rolesOption } from '../shared';

const ROLES = ['admin', 'editor'];

/** The table's settings besides its name and label (`icon` is left to the app). */
export const tableSettings: INodeProperties[] = [
	rolesOption('Create Roles', 'createRoles', ROLES, 'Who may create records'),
	rolesOption('Delete Roles', 'deleteRoles', ROLES, 'Who may delete records'),
	booleanOption('Email Linking', 'isEmailLinkingEnabled', 'Whether emails can be linked to records'),
	booleanOption('Files', 'hasFiles', 'Whether records can have files attached'),
	booleanOption('Global Search', 'hasGlobalSearch', "Whether the table's records appear in the global search"),
	booleanOption('Hidden', 'isHidden', 'Whether the table is hidden in the app'),
	booleanOption('History', 'hasHistory', 'Whether Ninox 4 keeps the history of changes (needed for change feeds)'),
	rolesOption('Read Roles', 'readRoles', ROLES, 'Who may read records'),
	rolesOption('Write Roles', 'writeRoles', ROLES, 'Who may change records'),
];

export const tableUpdateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [labelOption('table'), ...tableSettings],
};
