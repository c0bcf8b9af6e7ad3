/** Parameters and readers the schema operations (module, table, field) share. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkName, labelsOf } from './common';

/** The Name of a new module, table or field: what paths, record keys and scripts use. */
export function nameParameter(what: string, placeholder: string): INodeProperties {
	return {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder,
		description: `The ${what}'s name: 1–100 lowercase letters, digits and _. Paths, record keys and scripts use it; the label is what the app shows.`,
	};
}

export function labelParameter(what: string, required: boolean): INodeProperties {
	return {
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '',
		required,
		description: `The ${what}'s label in the app (the default language)${required ? '' : '; optional'}`,
	};
}

export function newNameOption(what: string): INodeProperties {
	return {
		displayName: 'New Name',
		name: 'name',
		type: 'string',
		default: '',
		description: `Renames the ${what}: 1–100 lowercase letters, digits and _. Workflows and scripts that use the old name stop working.`,
	};
}

export function labelOption(what: string): INodeProperties {
	return { displayName: 'Label', name: 'label', type: 'string', default: '', description: `The ${what}'s label in the app` };
}

export function rolesOption(displayName: string, name: string, roles: string[], description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'multiOptions',
		options: roles.map((role) => ({ name: role[0].toUpperCase() + role.slice(1), value: role })),
		default: [],
		description,
	};
}

export function booleanOption(displayName: string, name: string, description: string): INodeProperties {
	return { displayName, name, type: 'boolean', default: false, description };
}

/** The body of a create or update: name and label checked, labels in Ninox 4's form, empty options left out. */
export function schemaBody(
	this: IExecuteFunctions,
	what: string,
	itemIndex: number,
	values: IDataObject,
	required: { name?: string; label?: string } = {},
): IDataObject {
	const body: IDataObject = {};
	const name = String(required.name ?? values.name ?? '').trim();
	if (required.name !== undefined || name !== '') {
		body.name = checkName.call(this, name, what, itemIndex);
	}
	const label = String(required.label ?? values.label ?? '').trim();
	if (required.label !== undefined && label === '') {
		throw new NodeOperationError(this.getNode(), `The ${what} needs a label`, {
			itemIndex,
			description: `Ninox 4 requires a label for a new ${what}: the text the app shows.`,
		});
	}
	if (label !== '') body.labels = labelsOf(label);
	for (const [key, value] of Object.entries(values)) {
		if (key === 'name' || key === 'label' || value === undefined || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		body[key] = value;
	}
	return body;
}

/** Whether an update names anything to change. */
export function requireChanges(this: IExecuteFunctions, body: IDataObject, what: string, itemIndex: number): IDataObject {
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), `Nothing to change for the ${what}`, {
			itemIndex,
			description: 'Add at least one field under Update Fields.',
		});
	}
	return body;
}
