import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldsPath, ninox4Request } from '../../transport';
import { fieldParameters, locatorName, readTableRef } from '../common';

export const description: INodeProperties[] = [...fieldParameters];

/** `GET …/{t}/fields/{f}`. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const field = locatorName.call(this, 'field', itemIndex);
	return await ninox4Request<IDataObject>(this, { method: 'GET', path: [...fieldsPath(moduleName, tableName), field], itemIndex });
}
