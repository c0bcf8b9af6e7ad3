/**
 * Runs our nodes inside n8n-core's real execution engine (WorkflowExecute), so every request they make travels
 * through n8n's own HTTP helpers to the local Ninox server. Only the credentials store is ours: n8n's real one
 * lives in the n8n app, so `TestCredentialsHelper` applies the credential type's own `authenticate` block the
 * way the app does.
 */
import { Container } from '@n8n/di';
import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { Ninox4Api } from '../../credentials/Ninox4Api.credentials';
import { NinoxTokenApi } from '../../credentials/NinoxTokenApi.credentials';
import { Ninox } from '../../nodes/Ninox/Ninox.node';
import { Ninox4 } from '../../nodes/Ninox4/Ninox4.node';
import { NinoxTrigger } from '../../nodes/NinoxTrigger/NinoxTrigger.node';
import { Ninox4Trigger } from '../../nodes/Ninox4Trigger/Ninox4Trigger.node';
import { TRANSPORT_PROBE_NODE, transportProbe } from './transportProbe';

export const PACKAGE = 'n8n-nodes-ninox-api';
export const NINOX_NODE = `${PACKAGE}.ninox`;
export const NINOX_TRIGGER_NODE = `${PACKAGE}.ninoxTrigger`;
export const NINOX4_NODE = `${PACKAGE}.ninox4`;
export const NINOX4_TRIGGER_NODE = `${PACKAGE}.ninox4Trigger`;
const START_NODE = 'test.start';

const credentialTypes: Record<string, ICredentialType> = { ninoxTokenApi: new NinoxTokenApi(), ninox4Api: new Ninox4Api() };

/** The credential type each node type uses (the classic one unless listed). */
const CREDENTIAL_OF_NODE: Record<string, string> = { [NINOX4_NODE]: 'ninox4Api', [NINOX4_TRIGGER_NODE]: 'ninox4Api' };

function nodeCredentials(nodeType: string): INode['credentials'] {
	return { [CREDENTIAL_OF_NODE[nodeType] ?? 'ninoxTokenApi']: { id: '1', name: 'Ninox' } };
}

/** Credentials for the local Ninox 4 server (test/server4). */
export function localNinox4Credentials(server: { url: string; key: string; workspaceId: string }): ICredentialDataDecryptedObject {
	return { apiKey: server.key, workspaceId: server.workspaceId, baseUrl: server.url };
}

/** Credentials for the local server: the On-Premise environment pointing at its URL. */
export function localCredentials(server: { url: string; token: string }): ICredentialDataDecryptedObject {
	return { environment: 'onPremise', baseUrl: server.url, token: server.token };
}

export interface AuthenticatedRequest {
	url: string;
	method: string;
}

/** Applies the credential type's generic `authenticate` block, resolving `{{$credentials.x}}` like the n8n app. */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every request the nodes sent, as authenticated (URL and method only: never headers). */
	readonly sent: AuthenticatedRequest[] = [];

	constructor(
		private readonly credentials: ICredentialDataDecryptedObject,
		/** Lets a test send a request meant for a host we cannot reach (e.g. api.ninox.com) to the local server. */
		private readonly rewriteUrl: (url: string) => string = (url) => url,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const type = credentialTypes[typeName];
		const authenticate = type?.authenticate;
		if (!authenticate || typeof authenticate === 'function') {
			throw new Error(`Credential type ${typeName} has no generic authenticate block`);
		}
		const resolve = (value: string) =>
			String(
				workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
					$credentials: credentials,
				} as IDataObject),
			);
		const { headers = {}, qs = {} } = authenticate.properties as {
			headers?: Record<string, string>;
			qs?: Record<string, string>;
		};
		const resolvedHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, resolve(v)]));
		const resolvedQs = Object.fromEntries(Object.entries(qs).map(([k, v]) => [k, resolve(v)]));
		const url = this.rewriteUrl(options.url);
		this.sent.push({ url: options.url, method: options.method ?? 'GET' });
		return {
			...options,
			url,
			headers: { ...options.headers, ...resolvedHeaders },
			qs: { ...(options.qs as IDataObject), ...resolvedQs },
		};
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, _type: string): Promise<ICredentials> {
		throw new Error('not used by the engine');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

/** A plain start node that emits the test's items, each paired to the one empty input item. */
function startNodeType(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Start',
			name: 'start',
			group: ['input'],
			version: 1,
			description: 'Emits the test items',
			defaults: { name: 'Start' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			return [items.map((item) => ({ ...item, pairedItem: { item: 0 } }))];
		},
	};
}

function nodeTypesFor(
	items: INodeExecutionData[],
	extraNodeTypes: Record<string, INodeType> = {},
): INodeTypes {
	const types: Record<string, INodeType | IVersionedNodeType> = {
		...extraNodeTypes,
		[NINOX_NODE]: new Ninox(),
		[NINOX_TRIGGER_NODE]: new NinoxTrigger(),
		[NINOX4_NODE]: new Ninox4(),
		[NINOX4_TRIGGER_NODE]: new Ninox4Trigger(),
		[START_NODE]: startNodeType(items),
		[TRANSPORT_PROBE_NODE]: transportProbe,
	};
	return {
		getByName: (name) => types[name],
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(types[name], version),
		getKnownTypes: () => ({}),
	};
}

function additionalDataFor(
	credentialsHelper: ICredentialsHelper,
	workflow: Workflow,
	mode: WorkflowExecuteMode,
): IWorkflowExecuteAdditionalData {
	const executionId = String(++executionCounter);
	return {
		credentialsHelper,
		hooks: new ExecutionLifecycleHooks(mode, executionId, {
			id: workflow.id,
			name: workflow.name ?? 'test',
			active: false,
			isArchived: false,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		} as never),
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: '',
		instanceBaseUrl: '',
		formWaitingBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;
let workflowCounter = 0;

export interface NodeRun {
	/** Items of the node's first output. */
	items: INodeExecutionData[];
	/** All outputs of the node. */
	outputs: INodeExecutionData[][];
	/** The error that stopped the workflow, if any (a node error without continueOnFail). */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject; node?: INode };
	run: IRun;
	credentialsHelper: TestCredentialsHelper;
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject;
	/** Items fed into the node (default: one empty item). */
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	nodeType?: string;
	rewriteUrl?: (url: string) => string;
	/** More node types the workflow may use (e.g. the benchmark's per-item HTTP node), by type name. */
	extraNodeTypes?: Record<string, INodeType>;
	/** The credential type of a node not known here (the benchmark's bare nodes for Ninox 4: 'ninox4Api'). */
	credentialType?: string;
}

/** Runs one of our nodes in a workflow Start → node through WorkflowExecute ('manual' mode). */
export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const items = options.items ?? [{ json: {} }];
	const nodeName = 'Ninox';
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: START_NODE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'ninox',
			name: nodeName,
			type: options.nodeType ?? NINOX_NODE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: options.credentialType
				? { [options.credentialType]: { id: '1', name: 'Ninox' } }
				: nodeCredentials(options.nodeType ?? NINOX_NODE),
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const workflow = new Workflow({
		id: `wf${++workflowCounter}`,
		name: 'test',
		nodes,
		connections: { Start: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: nodeTypesFor(items, options.extraNodeTypes),
		settings: { executionOrder: 'v1' },
	});
	const credentialsHelper = new TestCredentialsHelper(options.credentials, options.rewriteUrl);
	const additionalData = additionalDataFor(credentialsHelper, workflow, 'manual');
	const run = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: workflow.getNode('Start')!,
	});
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	return {
		items: outputs[0] ?? [],
		outputs,
		error: run.data.resultData.error as NodeRun['error'],
		run,
		credentialsHelper,
	};
}

/** A workflow holding one trigger node, whose static data survives like the n8n app keeps it. */
export class TriggerWorkflow {
	readonly workflow: Workflow;
	readonly credentialsHelper: TestCredentialsHelper;

	constructor(
		parameters: INodeParameters,
		credentials: ICredentialDataDecryptedObject,
		staticData?: IDataObject,
		/** The trigger's node type (the Ninox 4 Trigger: NINOX4_TRIGGER_NODE). */
		nodeType: string = NINOX_TRIGGER_NODE,
	) {
		this.workflow = new Workflow({
			id: `wf${++workflowCounter}`,
			name: 'trigger test',
			nodes: [
				{
					id: 'trigger',
					name: 'Ninox Trigger',
					type: nodeType,
					typeVersion: 1,
					position: [0, 0],
					parameters,
					credentials: nodeCredentials(nodeType),
				},
			],
			connections: {},
			active: true,
			nodeTypes: nodeTypesFor([]),
			staticData: staticData ? JSON.parse(JSON.stringify(staticData)) : undefined,
			settings: { executionOrder: 'v1' },
		});
		this.credentialsHelper = new TestCredentialsHelper(credentials);
	}

	/** One poll as the n8n app runs it for an active workflow ('trigger' mode), or 'manual' for Fetch Test Event. */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[][] | null> {
		const node = this.workflow.getNode('Ninox Trigger')!;
		const additionalData = additionalDataFor(this.credentialsHelper, this.workflow, mode);
		const context = new PollContext(this.workflow, node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		return (await nodeType.poll!.call(context)) ?? null;
	}

	/** The static data as the n8n app would persist it (JSON). */
	staticDataJson(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	nodeStaticData(): IDataObject {
		return this.workflow.getStaticData('node', this.workflow.getNode('Ninox Trigger')!);
	}
}

/** Runs a `methods.listSearch` / `loadOptions` / `resourceMapping` method the way the editor UI calls it. */
export async function callMethod<T>(
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
	method: string,
	parameters: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	...args: unknown[]
): Promise<T> {
	return await callNodeMethod<T>(NINOX_NODE, kind, method, parameters, credentials, ...args);
}

/** `callMethod` for a given node type (e.g. NINOX4_NODE). */
export async function callNodeMethod<T>(
	nodeType: string,
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
	method: string,
	parameters: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	...args: unknown[]
): Promise<T> {
	const nodeTypes = nodeTypesFor([]);
	const node: INode = {
		id: 'ninox',
		name: 'Ninox',
		type: nodeType,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: nodeCredentials(nodeType),
	};
	const workflow = new Workflow({
		id: `wf${++workflowCounter}`,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = {
		...additionalDataFor(new TestCredentialsHelper(credentials), workflow, 'manual'),
		// What the editor sends along: the node's parameters as currently filled in.
		currentNodeParameters: parameters,
	};
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const type = nodeTypes.getByNameAndVersion(nodeType, 1) as INodeType;
	const fn = (type.methods?.[kind] as Record<string, (...a: unknown[]) => Promise<T>>)[method];
	return await fn.call(context, ...args);
}

/** n8n-core starts a cleanup interval that would keep jest alive; stop it after the tests. */
export function shutdownEngine(): void {
	Container.get(SSHClientsManager).onShutdown();
}
