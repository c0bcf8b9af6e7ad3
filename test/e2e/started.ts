/**
 * Checks that need a running n8n (`n8n start`), driven through its REST API as the editor drives it: the node and
 * credential types n8n registered, the credential test, and the trigger's polls (Fetch Test Event, activation,
 * a change in Ninox, the next scheduled poll, a quiet poll).
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';

import type { LoggedRequest, NinoxServer } from '../server';
import { DEMO } from '../server';
import { assertAllOk, calls } from './cases';
import type { RunningN8n } from './n8n';
import { CREDENTIAL_TYPE, CUSTOM_PREFIX, runDataItems, until } from './n8n';

export interface StartedContext {
	server: NinoxServer;
	running: RunningN8n;
	credential: { id: string; name: string; baseUrl: string; token: string };
	/** How often the trigger workflow polls (n8n 2.8 allows 10 s; later lines a minute at least). */
	pollSeconds: number;
}

export interface StartedCase {
	name: string;
	/** Workflow files (base names) imported before n8n starts. */
	workflows: string[];
	run(context: StartedContext): Promise<string | void>;
}

const { teamId, dbId } = DEMO;
const CONTACT = DEMO.contactTableId;
const COMPANY = DEMO.companyTableId;

export const TRIGGER_WORKFLOW_ID = 'e2eTriggerPoll01';
const TRIGGER_NODE = 'Ninox Trigger';

function changeRequests(requests: LoggedRequest[]): LoggedRequest[] {
	return requests.filter((request) => request.segments.at(-1) === 'changes');
}

export const startedCases: StartedCase[] = [
	{
		name: 'node-types',
		workflows: [],
		async run({ running }) {
			const nodes = await running.rest<Array<{ name: string; iconUrl?: string | { light: string; dark: string } }>>(
				'GET',
				'/types/nodes.json',
			);
			const ours = nodes.map((node) => node.name).filter((name) => name.toLowerCase().includes('ninox'));
			// usableAsTool: n8n adds a tool variant of the action node for AI agents.
			deepStrictEqual(ours.sort(), [`${CUSTOM_PREFIX}.ninox`, `${CUSTOM_PREFIX}.ninoxTool`, `${CUSTOM_PREFIX}.ninoxTrigger`]);
			const credentials = await running.rest<Array<{ name: string; iconUrl?: string | { light: string; dark: string } }>>(
				'GET',
				'/types/credentials.json',
			);
			const credentialType = credentials.find((credential) => credential.name === CREDENTIAL_TYPE);
			ok(credentialType, `credential type ${CREDENTIAL_TYPE} is registered`);

			// The editor loads each icon (light and dark) from the URL n8n lists: all must be served as SVG.
			const iconUrls = [...nodes.filter((node) => ours.includes(node.name)), credentialType].flatMap((type) =>
				typeof type.iconUrl === 'string' ? [type.iconUrl] : type.iconUrl ? [type.iconUrl.light, type.iconUrl.dark] : [],
			);
			strictEqual(iconUrls.length, 8, `light and dark icons for 3 node types and the credential: ${JSON.stringify(iconUrls)}`);
			for (const url of new Set(iconUrls)) {
				const response = await fetch(`${running.baseUrl}/${url}`);
				const body = await response.text();
				ok(response.ok && /<svg[\s>]/.test(body), `icon ${url}: ${response.status} ${body.slice(0, 80)}`);
			}
			return `n8n lists ${ours.join(', ')} and ${CREDENTIAL_TYPE}; ${new Set(iconUrls).size} icon files served`;
		},
	},
	{
		name: 'credential-test',
		workflows: [],
		async run({ running, server, credential }) {
			server.clearLog();
			const answer = await running.rest<{ data: { status: string; message: string } }>('POST', '/rest/credentials/test', {
				credentials: {
					id: credential.id,
					name: credential.name,
					type: CREDENTIAL_TYPE,
					data: { environment: 'onPremise', baseUrl: credential.baseUrl, token: credential.token },
				},
			});
			strictEqual(answer.data.status, 'OK', `credential test: ${JSON.stringify(answer.data)}`);
			deepStrictEqual(calls(server.requests), ['GET /teams']);
			assertAllOk(server.requests);

			const wrong = await running.rest<{ data: { status: string; message: string } }>('POST', '/rest/credentials/test', {
				credentials: {
					id: credential.id,
					name: credential.name,
					type: CREDENTIAL_TYPE,
					data: { environment: 'onPremise', baseUrl: credential.baseUrl, token: 'not-the-token' },
				},
			});
			strictEqual(wrong.data.status, 'Error', 'a wrong token fails the test');
			return `OK; with a wrong token: "${wrong.data.message}"`;
		},
	},
	{
		name: 'trigger-poll',
		workflows: ['trigger-poll'],
		async run({ running, server, pollSeconds }) {
			const pollWaitMs = (pollSeconds + 20) * 1000;
			const companiesBefore = server.store.getRecords(teamId, dbId, COMPANY).length;
			const triggerRuns = async () => (await running.executions(TRIGGER_WORKFLOW_ID)).filter((e) => e.mode === 'trigger');
			const savedCursor = async () => (await running.getWorkflow(TRIGGER_WORKFLOW_ID)).staticData?.[`node:${TRIGGER_NODE}`];

			// 1. Fetch Test Event: the editor's manual run of the trigger alone ('manual' mode).
			server.clearLog();
			const manual = await running.runManually(TRIGGER_WORKFLOW_ID, TRIGGER_NODE, TRIGGER_NODE);
			strictEqual(manual.status, 'success', `Fetch Test Event: ${JSON.stringify(manual.error)}`);
			const sample = runDataItems(manual.runData, TRIGGER_NODE);
			ok(sample.length >= 1 && sample.length <= 3, `Fetch Test Event shows 1–3 records, not ${sample.length}`);
			for (const item of sample) {
				strictEqual(item.json.tableId, CONTACT);
				ok(typeof item.json.recordId === 'number' && typeof item.json.fields === 'object', JSON.stringify(item.json));
			}
			strictEqual(manual.runData['Log Change'], undefined, 'only the trigger ran');
			ok(changeRequests(server.requests).length >= 1, 'the test event was read from the change feed');
			assertAllOk(server.requests);

			// 2. Activation: the first poll learns where the feed stands and emits nothing.
			server.clearLog();
			await running.activate(TRIGGER_WORKFLOW_ID);
			const firstPoll = await until('the activation poll', 15_000, () => changeRequests(server.requests)[0]);
			deepStrictEqual(firstPoll.segments, ['teams', teamId, 'databases', dbId, 'tables', CONTACT, 'changes']);
			const learned = await until('the cursor in the static data', 15_000, async () => {
				const cursor = await savedCursor();
				return cursor && typeof cursor.sequence === 'number' ? cursor : undefined;
			});
			strictEqual(learned.sequence, server.store.seq(teamId, dbId), 'the cursor starts at the current sequence');
			deepStrictEqual(await triggerRuns(), []);

			// 3. Changes in Ninox: a new, a changed and a deleted contact.
			const [createdId] = server.store.insertRecords(teamId, dbId, CONTACT, [{ 'First Name': 'Trigger New' }]);
			server.store.updateRecord(teamId, dbId, CONTACT, 20, { 'First Name': 'Trigger Updated' });
			server.store.deleteRecord(teamId, dbId, CONTACT, 21);
			const seqAfterChanges = server.store.seq(teamId, dbId);
			const pollsBefore = changeRequests(server.requests).length;

			// 4. The next scheduled poll emits them; the workflow logs each into Company.
			const logged = await until('the poll to log three changes', pollWaitMs, () => {
				const rows = server.store.getRecords(teamId, dbId, COMPANY).slice(companiesBefore);
				return rows.length >= 3 ? rows : undefined;
			});
			deepStrictEqual(
				logged.map((record) => [record.fields.Name, record.fields.City ?? '']).sort(),
				[
					[`created A${createdId}`, 'Trigger New'],
					['deleted A21', ''],
					['updated A20', 'Trigger Updated'],
				],
			);
			const executions = await until('the trigger execution in n8n', 15_000, async () => {
				const list = await triggerRuns();
				return list.length && list.every((e) => e.status !== 'running' && e.status !== 'new') ? list : undefined;
			});
			deepStrictEqual(
				executions.map((e) => e.status),
				['success'],
			);
			const emitted = await running.execution(executions[0].id);
			deepStrictEqual(
				runDataItems(emitted.runData, TRIGGER_NODE)
					.map((item) => [item.json.event, item.json.recordId])
					.sort(),
				[
					['created', createdId],
					['deleted', 21],
					['updated', 20],
				],
			);
			strictEqual((await savedCursor())?.sequence, seqAfterChanges, 'the cursor saved with the emitted changes');

			// 5. A quiet poll: one request and no execution.
			const quietFrom = changeRequests(server.requests).length;
			ok(quietFrom > pollsBefore, 'the changes were picked up by a scheduled poll');
			const quietPoll = await until('a quiet poll', pollWaitMs, () => changeRequests(server.requests)[quietFrom]);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			deepStrictEqual(calls(server.requests.slice(server.requests.indexOf(quietPoll))), [
				`GET /teams/${teamId}/databases/${dbId}/tables/${CONTACT}/changes`,
			]);
			strictEqual((await triggerRuns()).length, 1);

			// 6. n8n 2.8 saves a poll's static data only when it emits, so the quiet poll's advance (past the
			//    workflow's own Company writes) lived in memory. Deactivating and activating again resumes from the
			//    saved cursor and finds nothing new in Contact: the replay repeats nothing.
			await running.deactivate(TRIGGER_WORKFLOW_ID);
			strictEqual((await savedCursor())?.sequence, seqAfterChanges, 'deactivation keeps the cursor saved at the emit');
			const resumeFrom = server.requests.length;
			await running.activate(TRIGGER_WORKFLOW_ID);
			const resumed = await until('the reactivation poll', pollWaitMs, () => changeRequests(server.requests.slice(resumeFrom))[0]);
			strictEqual(resumed.query.sinceSq, String(seqAfterChanges), 'the poll resumes from the saved cursor');
			await new Promise((resolve) => setTimeout(resolve, 1500));
			strictEqual((await triggerRuns()).length, 1, 'the replay started no execution');
			await running.deactivate(TRIGGER_WORKFLOW_ID);
			assertAllOk(server.requests);
			return `test event: ${sample.length} records; a poll emitted 3 changes; quiet poll: 1 request; reactivation repeats nothing`;
		},
	},
];
