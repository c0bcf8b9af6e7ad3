import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Ninox4Field, Ninox4Option } from '../../helpers/schema';
import { fieldsPath, ninox4Request } from '../../transport';
import { fieldParameters, locatorName, readTableRef } from '../common';
import { requireChanges, schemaBody } from '../shared';
import { fieldUpdateFields, parseChoices, renameKey } from './shared';

export const description: INodeProperties[] = [...fieldParameters, fieldUpdateFields];

/**
 * `PATCH …/{t}/fields/{f}`. New choices replace the list; Ninox 4 keeps an option (and the records' values) only
 * when its ID is sent again, so the field is read first and options of the same name keep their IDs.
 */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const path = [...fieldsPath(moduleName, tableName), locatorName.call(this, 'field', itemIndex)];
	const { choices, expression, ...fields } = renameKey(
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		'optionHueExpression',
		'optionColor',
	);
	const body = schemaBody.call(this, 'field', itemIndex, fields);
	if (choices !== undefined && String(choices).trim() !== '') {
		const current = await ninox4Request<Ninox4Field>(this, { method: 'GET', path, itemIndex });
		const kept = new Map((Array.isArray(current.options) ? current.options : []).map((option) => [option.name, option]));
		body.options = parseChoices.call(this, choices, itemIndex).map((option): Ninox4Option => {
			const id = option.id ?? kept.get(option.name)?.id;
			return id === undefined ? option : { ...option, id };
		});
	}
	if (expression !== undefined && String(expression).trim() !== '') body.expression = expression;
	requireChanges.call(this, body, 'field', itemIndex);
	// A rename sent twice would find the old name gone.
	return await ninox4Request<IDataObject>(this, { method: 'PATCH', path, body, repeatable: body.name === undefined, itemIndex });
}
