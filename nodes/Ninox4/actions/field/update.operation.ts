import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Ninox4Field, Ninox4Option } from '../../helpers/schema';
import { fieldsPath, ninox4Request } from '../../transport';
import { fieldParameters, locatorName, readTableRef } from '../common';
import { requireChanges, schemaBody } from '../shared';
import { fieldUpdateFields, parseChoices, renameKey } from './shared';

export const description: INodeProperties[] = [...fieldParameters, fieldUpdateFields];

/**
 * `PATCH …/{t}/fields/{f}`. New choices replace the list; Ninox 4 keeps an option (and the records' values) only
 * when its ID is sent again, so the field is read first and options of the same name keep their IDs. A new
 * expression is a function's `expression`, or a dynamic choice's `options`: the field read first says which.
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
	const newChoices = choices !== undefined && String(choices).trim() !== '';
	const newExpression = expression !== undefined && String(expression).trim() !== '';
	// The field as it is: to keep option IDs, and because a dynamic choice's expression goes in `options`.
	const current = newChoices || newExpression ? await ninox4Request<Ninox4Field>(this, { method: 'GET', path, itemIndex }) : undefined;
	if (newChoices) {
		const kept = new Map((Array.isArray(current?.options) ? current.options : []).map((option) => [option.name, option]));
		body.options = parseChoices.call(this, choices, itemIndex).map((option): Ninox4Option => {
			const id = option.id ?? kept.get(option.name)?.id;
			return id === undefined ? option : { ...option, id };
		});
	}
	if (newExpression) body[['dchoice', 'dmulti'].includes(String(current?.type)) ? 'options' : 'expression'] = expression;
	requireChanges.call(this, body, 'field', itemIndex);
	// A rename sent twice would find the old name gone.
	return await ninox4Request<IDataObject>(this, { method: 'PATCH', path, body, repeatable: body.name === undefined, itemIndex });
}
