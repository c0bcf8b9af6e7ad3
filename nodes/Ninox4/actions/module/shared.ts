import type { INodeProperties } from 'n8n-workflow';

import { booleanOption, labelOption, rolesOption } from '../shared';

/** The module's settings besides its name and label (`icon` is left to the app). */
export const moduleSettings: INodeProperties[] = [
	booleanOption('Hide Navigation', 'hideNavigation', "Whether to hide the module's navigation"),
	booleanOption('Hidden', 'isHidden', 'Whether the module is hidden in the app'),
	rolesOption('Open Roles', 'openRoles', ['admin', 'editor'], 'Who may open the module'),
];

export const moduleUpdateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [labelOption('module'), ...moduleSettings],
};
