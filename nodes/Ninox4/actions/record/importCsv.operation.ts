import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { multipartForm } from '../../../shared/multipart';
import { ninox4Request, recordsPath } from '../../transport';
import { CSV_KEY_MAPPINGS_FOR_UPDATE, MAX_CSV_BYTES } from '../../transport/facts';
import { readTableRef, tableParameters } from '../common';
import { optionsCollection } from '../../../Ninox/actions/common';

export const description: INodeProperties[] = [
	...tableParameters,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the CSV file (up to 50 MB)',
	},
	{
		displayName: 'Mode',
		name: 'importMode',
		type: 'options',
		options: [
			{ name: 'Append', value: 'append', description: 'Create a record for every row' },
			{ name: 'Update', value: 'update', description: 'Only update the records whose key column matches' },
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
		],
		default: 'append',
	},
	{
		displayName: 'Column Mappings',
		name: 'mappings',
		type: 'fixedCollection',
		placeholder: 'Add Mapping',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Which CSV column goes into which field. Without mappings, headers match field names (in any case). Update and Upsert need exactly one key column.',
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				values: [
					{ displayName: 'CSV Column', name: 'csvColumnName', type: 'string', default: '', placeholder: 'Email' },
					{ displayName: 'Field Name', name: 'fieldName', type: 'string', default: '', placeholder: 'email' },
					{
						displayName: 'Key',
						name: 'key',
						type: 'boolean',
						default: false,
						description: 'Whether this column identifies the record to update (Update and Upsert modes)',
					},
				],
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Delimiter',
			name: 'delimiter',
			type: 'string',
			default: '',
			placeholder: ';',
			description: 'The character between columns; empty: Ninox 4 detects it',
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'ASCII', value: 'ascii' },
				{ name: 'ISO Latin 1', value: 'iso-latin1' },
				{ name: 'Latin 1', value: 'latin1' },
				{ name: 'UTF-16', value: 'utf16' },
				{ name: 'UTF-8', value: 'utf8' },
				{ name: 'Windows 1252', value: 'windows-cp1252' },
			],
			default: 'utf8',
		},
		{
			displayName: 'Header Row',
			name: 'hasHeader',
			type: 'boolean',
			default: true,
			description: 'Whether the first row names the columns (without one they are column_1, column_2, …)',
		},
		{
			displayName: 'Number Format',
			name: 'numberFormat',
			type: 'options',
			options: [
				{ name: 'European (1.234,56)', value: 'european' },
				{ name: 'US (1,234.56)', value: 'us' },
			],
			default: 'us',
		},
		{
			displayName: 'Quote Character',
			name: 'quoteChar',
			type: 'string',
			default: '"',
			description: 'The character around values that contain the delimiter',
		},
	]),
];

interface CsvOptions {
	delimiter?: string;
	encoding?: string;
	hasHeader?: boolean;
	numberFormat?: string;
	quoteChar?: string;
}

/**
 * `POST …/{t}/records/import/csv` (multipart: the file and the import settings). Answers the counts of imported,
 * updated and skipped rows; skipped rows add a warning to the output. Not resent after a lost answer.
 */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const binary = this.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) {
		const available = Object.keys(this.getInputData()[itemIndex]?.binary ?? {});
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has no binary field "${property}"`, {
			itemIndex,
			description: available.length
				? `Its binary fields are: ${available.join(', ')}. Set "Input Binary Field" to the one holding the CSV file.`
				: 'The item carries no file. Read the CSV file in an earlier node, or set "Input Binary Field" to the field that holds it.',
		});
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	if (data.length > MAX_CSV_BYTES) {
		throw new NodeOperationError(this.getNode(), `The CSV file of item ${itemIndex} is larger than 50 MB`, {
			itemIndex,
			description: 'Ninox 4 imports files up to 50 MB: split the file.',
		});
	}
	const mode = this.getNodeParameter('importMode', itemIndex, 'append') as string;
	const { mapping = [] } = this.getNodeParameter('mappings', itemIndex, {}) as {
		mapping?: Array<{ csvColumnName?: string; fieldName?: string; key?: boolean }>;
	};
	const mappings = mapping.map(({ csvColumnName, fieldName, key }) => ({
		csvColumnName: String(csvColumnName ?? '').trim(),
		fieldName: String(fieldName ?? '').trim(),
		...(key ? { updatePolicy: 'key' } : {}),
	}));
	const incomplete = mappings.findIndex((entry) => !entry.csvColumnName || !entry.fieldName);
	if (incomplete >= 0) {
		throw new NodeOperationError(this.getNode(), `Column mapping ${incomplete + 1} needs both a CSV column and a field name`, { itemIndex });
	}
	const keys = mappings.filter((entry) => entry.updatePolicy === 'key').length;
	if (mode !== 'append' && keys !== CSV_KEY_MAPPINGS_FOR_UPDATE) {
		throw new NodeOperationError(this.getNode(), `The ${mode} mode needs exactly one key column, not ${keys}`, {
			itemIndex,
			description: 'Add a column mapping for the column that identifies the record and switch on its Key.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as CsvOptions;
	const settings: Array<[string, string]> = [
		['hasHeader', String(options.hasHeader ?? true)],
		['delimiter', options.delimiter ?? ''],
		['quoteChar', options.quoteChar ?? ''],
		['encoding', options.encoding ?? ''],
		['importMode', mode],
		['numberFormat', options.numberFormat ?? ''],
		['mappings', mappings.length ? JSON.stringify(mappings) : ''],
	];
	const form = multipartForm(
		settings.filter(([, value]) => value !== ''),
		{ name: 'file', fileName: binary.fileName ?? 'import.csv', contentType: binary.mimeType || 'text/csv', data },
	);
	const counts = await ninox4Request<IDataObject>(this, {
		method: 'POST',
		path: [...recordsPath(moduleName, tableName), 'import', 'csv'],
		body: form.body,
		headers: { 'Content-Type': form.contentType },
		itemIndex,
	});
	const skipped = Number(counts.rowsSkipped ?? 0);
	return skipped > 0
		? { ...counts, warning: `${skipped} row${skipped === 1 ? ' was' : 's were'} skipped: check the file's values against the table's fields` }
		: counts;
}
