import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldsPath, ninox4Request } from '../../transport';
import { readTableRef, tableParameters } from '../common';
import { fieldBody, fieldDefinition } from './shared';

export const description: INodeProperties[] = [...tableParameters, ...fieldDefinition];

/** `POST …/{t}/fields` with the field's definition. A bad expression still saves: see `expressionErrors`. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const body = fieldBody.call(this, itemIndex);
	return await ninox4Request<IDataObject>(this, { method: 'POST', path: fieldsPath(moduleName, tableName), body, itemIndex });
}
