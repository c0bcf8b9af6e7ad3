/**
 * itemParameter must answer exactly what n8n's getNodeParameter answers, item by item: a probe node reads every
 * parameter both ways inside the real engine and outputs both.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { itemParameter } from '../nodes/Ninox/helpers/parameters';
import { localCredentials, runNode, shutdownEngine } from './harness/engine';

const PROBE = 'test.parameterProbe';
const NAMES = ['constant', 'locator', 'collection', 'byJson', 'byJsonQuoted', 'nested', 'other'];

const probe: INodeType = {
	description: {
		displayName: 'Parameter Probe',
		name: 'parameterProbe',
		group: ['transform'],
		version: 1,
		description: 'Reads its parameters with itemParameter and with getNodeParameter',
		defaults: { name: 'Parameter Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Constant', name: 'constant', type: 'string', default: '' },
			{
				displayName: 'Locator',
				name: 'locator',
				type: 'resourceLocator',
				default: { mode: 'id', value: '' },
				modes: [
					{ displayName: 'ID', name: 'id', type: 'string' },
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						extractValue: { type: 'regex', regex: String.raw`https://x/#/t/([^/]+)` },
					},
				],
			},
			{ displayName: 'Collection', name: 'collection', type: 'json', default: '{}' },
			{ displayName: 'By JSON', name: 'byJson', type: 'string', default: '' },
			{ displayName: 'By JSON Quoted', name: 'byJsonQuoted', type: 'string', default: '' },
			{ displayName: 'Nested', name: 'nested', type: 'string', default: '' },
			{ displayName: 'Other', name: 'other', type: 'string', default: '' },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, itemIndex) => {
				const json: IDataObject = {};
				for (const name of NAMES) {
					const options = name === 'locator' ? { extractValue: true } : {};
					json[name] = {
						ours: itemParameter(this, name, itemIndex, '', options) as IDataObject,
						n8n: this.getNodeParameter(name, itemIndex, '', options) as IDataObject,
					};
				}
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	},
};

afterAll(() => shutdownEngine());

async function readBothWays(parameters: INodeParameters, items: IDataObject[]) {
	const run = await runNode({
		nodeType: PROBE,
		extraNodeTypes: { [PROBE]: probe },
		parameters,
		credentials: localCredentials({ url: 'http://127.0.0.1:1', token: 'unused' }),
		items: items.map((json) => ({ json })),
	});
	expect(run.error).toBeUndefined();
	return run.items.map((item) => item.json as Record<string, { ours: unknown; n8n: unknown }>);
}

describe('itemParameter', () => {
	it('answers what getNodeParameter answers, for constants, locators and $json access of any value', async () => {
		const items: IDataObject[] = [
			{ id: 7, name: 'Ada', deep: { x: 'ü / ?' } },
			{ id: '8', name: '', deep: { x: 3 } },
			{ id: null, deep: null },
			{ name: true, deep: { x: [1, 2] } },
			{ id: { nested: 1 }, name: 0 },
			{},
		];
		const rows = await readBothWays(
			{
				constant: 'the same for all',
				locator: { __rl: true, mode: 'url', value: 'https://x/#/t/team42' },
				collection: '{"a": 1}',
				byJson: '={{ $json.id }}',
				byJsonQuoted: '={{ $json["name"] }}',
				nested: "={{ $json.deep['x'] }}",
				other: '={{ $json.id + 1 }}',
			},
			items,
		);
		expect(rows).toHaveLength(items.length);
		for (const row of rows) {
			for (const name of NAMES) expect([name, row[name].ours]).toEqual([name, row[name].n8n]);
		}
		expect(rows.map((row) => row.byJson.ours)).toEqual([7, '8', null, undefined, { nested: 1 }, undefined]);
		expect(rows[0].locator.ours).toBe('team42');
	});

	it('evaluates a locator that holds an expression per item', async () => {
		const rows = await readBothWays(
			{ locator: { __rl: true, mode: 'id', value: '={{ $json.team }}' } },
			[{ team: 'a' }, { team: 'b' }],
		);
		expect(rows.map((row) => row.locator.ours)).toEqual(['a', 'b']);
		expect(rows.map((row) => row.locator.n8n)).toEqual(['a', 'b']);
	});
});
