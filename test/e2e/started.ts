/**
 * Checks that need a running n8n (`n8n start`), driven through its REST API as the editor drives it: the node and
 * credential types n8n registered, the credential test, and the trigger's polls (Fetch Test Event, activation,
 * a change in Ninox, the next scheduled poll, a quiet poll).
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';

import type { LoggedRequest, NinoxServer } from '../server';
import { DEMO } from '../server';
import type { LoggedRequest as Ninox4Request, Ninox4Server } from '../server4';
import { DEMO4, renderRecord, writeValues } from '../server4';
import { assertAllOk, calls, calls4, contactsTable4 } from './cases';
import type { ExecutionSummary, RunningN8n } from './n8n';
import { CREDENTIAL4_TYPE, CREDENTIAL_TYPE, CUSTOM_PREFIX, NINOX4_CREDENTIAL, runDataItems, until } from './n8n';

export interface StartedContext {
	server: NinoxServer;
	server4: Ninox4Server;
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

/** The workflow's trigger executions, once there is one and none is still running. */
function finishedTriggerRuns(running: RunningN8n, workflowId: string): Promise<ExecutionSummary[]> {
	return until('the trigger execution in n8n', 15_000, async () => {
		const list = (await running.executions(workflowId)).filter((e) => e.mode === 'trigger');
		return list.length && list.every((e) => e.status !== 'running' && e.status !== 'new') ? list : undefined;
	});
}

// ─── Ninox 4 ──────────────────────────────────────────────────────────────────

export const TRIGGER4_WORKFLOW_ID = 'e2eNinox4Trigger';
const TRIGGER4_NODE = 'Ninox 4 Trigger';
const CONTACTS4 = `modules/${DEMO4.module}/tables/${DEMO4.contacts}`;
const DEALS4 = `modules/${DEMO4.module}/tables/${DEMO4.deals}`;

const isFeedRequest = (request: Ninox4Request) => request.segments.join('/') === `${CONTACTS4}/records/changes`;

async function testNinox4Credential(running: RunningN8n, data: { apiKey: string; workspaceId: string; baseUrl: string }) {
	return (
		await running.rest<{ data: { status: string; message: string } }>('POST', '/rest/credentials/test', {
			credentials: { ...NINOX4_CREDENTIAL, type: CREDENTIAL4_TYPE, data },
		})
	).data;
}

const ninox4StartedCases: StartedCase[] = [
	{
		name: 'ninox4-credential-test',
		workflows: [],
		async run({ running, server4 }) {
			const data = { apiKey: server4.key, workspaceId: server4.workspaceId, baseUrl: server4.url };
			server4.clearLog();
			const answer = await testNinox4Credential(running, data);
			strictEqual(answer.status, 'OK', `credential test: ${JSON.stringify(answer)}`);
			deepStrictEqual(
				server4.log.map((request) => `${request.method} ${request.rawPath}`),
				[`GET /api/v1/workspace/${server4.workspaceId}`],
				'one request to the workspace',
			);
			assertAllOk(server4.log);

			// A key pasted with blanks around it is trimmed; a bare host means https, so http is given here.
			strictEqual((await testNinox4Credential(running, { ...data, apiKey: ` ${server4.key}\n` })).status, 'OK', 'a pasted key is trimmed');
			const wrongKey = await testNinox4Credential(running, { ...data, apiKey: 'not-the-key' });
			strictEqual(wrongKey.status, 'Error', 'a wrong key fails the test');
			// Not the API (Ninox 4 answers unknown paths with its web app's HTML and 200): the rule catches it.
			const notTheApi = await testNinox4Credential(running, { ...data, baseUrl: `${server4.url}/app` });
			strictEqual(notTheApi.status, 'Error', `an HTML answer fails the test: ${JSON.stringify(notTheApi)}`);
			ok(/not from the Ninox 4 API/.test(notTheApi.message), notTheApi.message);
			return `OK; wrong key: "${wrongKey.message}"; web page: "${notTheApi.message}"`;
		},
	},
	{
		name: 'ninox4-trigger-poll',
		workflows: ['ninox4-trigger-poll'],
		async run({ running, server4, pollSeconds }) {
			const pollWaitMs = (pollSeconds + 20) * 1000;
			const table = contactsTable4(server4);
			const dealsTable = server4.store.table(DEMO4.module, DEMO4.deals);
			const dealsBefore = dealsTable.recordList().length;
			const triggerRuns = async () => (await running.executions(TRIGGER4_WORKFLOW_ID)).filter((e) => e.mode === 'trigger');
			const savedCursor = async () => (await running.getWorkflow(TRIGGER4_WORKFLOW_ID)).staticData?.[`node:${TRIGGER4_NODE}`];
			const feedPolls = (from = 0) => server4.log.slice(from).filter(isFeedRequest);

			// 1. Fetch Test Event: the latest changed records, nothing downstream runs, no cursor saved.
			server4.clearLog();
			const manual = await running.runManually(TRIGGER4_WORKFLOW_ID, TRIGGER4_NODE, TRIGGER4_NODE);
			strictEqual(manual.status, 'success', `Fetch Test Event: ${JSON.stringify(manual.error)}`);
			const sample = runDataItems(manual.runData, TRIGGER4_NODE);
			ok(sample.length >= 1 && sample.length <= 3, `Fetch Test Event shows 1–3 records, not ${sample.length}`);
			for (const { json } of sample) {
				deepStrictEqual([json.module, json.table, typeof json.id, typeof json.changedAt], ['crm', 'contacts', 'string', 'string']);
				ok(json.event === 'deleted' ? !('values' in json) : typeof json.values === 'object', JSON.stringify(json));
			}
			strictEqual(manual.runData['Log Change'], undefined, 'only the trigger ran');
			ok(feedPolls().length >= 1, 'the test event was read from the change feed');
			strictEqual(await savedCursor(), undefined, 'Fetch Test Event saves no cursor');
			assertAllOk(server4.log);

			// 2. Activation: the first poll learns where the feed stands and the table's size, and emits nothing.
			server4.clearLog();
			await running.activate(TRIGGER4_WORKFLOW_ID);
			const firstPoll = await until('the activation poll', 15_000, () => feedPolls()[0]);
			strictEqual(firstPoll.query.limit, '1', 'the activation poll asks the feed for one entry only');
			const learned = await until('the cursor in the static data', 15_000, async () => {
				const cursor = await savedCursor();
				return cursor && typeof cursor.asOf === 'string' ? cursor : undefined;
			});
			deepStrictEqual(
				{ table: learned.table, records: learned.records },
				{ table: 'crm/contacts', records: table.recordList().length },
				'the cursor knows the table and its size',
			);
			deepStrictEqual(await triggerRuns(), []);

			// 3. Changes in Ninox 4: a new, a changed and a deleted contact (one transaction each).
			const write = (values: Record<string, unknown>) => writeValues(server4.store, table, values, 'e2e');
			const [created] = server4.store.createRecords(table, [write({ first_name: 'Trigger New', last_name: 'E2E' })]);
			const [updated, deleted] = table.recordList().slice(19, 21);
			server4.store.updateRecords(table, [{ record: updated, values: write({ first_name: 'Trigger Updated' }) }]);
			server4.store.deleteRecords(table, [deleted.id]);
			const changedFrom = server4.log.length;

			// 4. The next scheduled poll emits them; the workflow logs each as a deal.
			const logged = await until('the poll to log three changes', pollWaitMs, () => {
				const rows = dealsTable.recordList().slice(dealsBefore);
				return rows.length >= 3 ? rows : undefined;
			});
			deepStrictEqual(
				logged.map((record) => renderRecord(server4.store, dealsTable, record).values.title).sort(),
				[`created contacts ${created.id} Trigger New`, `deleted contacts ${deleted.id}`, `updated contacts ${updated.id} Trigger Updated`],
			);
			const executions = await finishedTriggerRuns(running, TRIGGER4_WORKFLOW_ID);
			deepStrictEqual(
				executions.map((e) => e.status),
				['success'],
			);
			const emitted = runDataItems((await running.execution(executions[0].id)).runData, TRIGGER4_NODE);
			deepStrictEqual(
				emitted.map((item) => [item.json.event, item.json.id]).sort(),
				[
					['created', String(created.id)],
					['deleted', String(deleted.id)],
					['updated', String(updated.id)],
				],
			);
			// The emitting poll: the feed, then the two changed records one by one (fewer requests than the table's pages).
			const afterChange = server4.log.slice(changedFrom).filter((request) => request.segments.join('/').startsWith(CONTACTS4));
			const emitStart = afterChange.findIndex((request) => isFeedRequest(request));
			const emitEnd = afterChange.findIndex((request, index) => index > emitStart && isFeedRequest(request));
			deepStrictEqual(
				calls4(afterChange.slice(emitStart, emitEnd < 0 ? undefined : emitEnd)).sort(),
				[`GET /${CONTACTS4}/records/changes`, `GET /${CONTACTS4}/record/${created.id}`, `GET /${CONTACTS4}/record/${updated.id}`].sort(),
			);
			const emitCursor = await savedCursor();
			ok(emitCursor && String(emitCursor.asOf) > String(learned.asOf), 'the cursor moved with the emit');
			strictEqual(emitCursor.records, table.recordList().length, 'the cursor counts the created and the deleted record');

			// 5. A quiet poll: one request and no execution.
			const quietFrom = server4.log.length;
			const quietPoll = await until('a quiet poll', pollWaitMs, () => feedPolls(quietFrom)[0]);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			deepStrictEqual(calls4(server4.log.slice(server4.log.indexOf(quietPoll))), [`GET /${CONTACTS4}/records/changes`]);
			strictEqual((await triggerRuns()).length, 1);

			// 6. Deactivate and activate again: the poll resumes from the saved cursor and repeats nothing.
			await running.deactivate(TRIGGER4_WORKFLOW_ID);
			const saved = await savedCursor();
			strictEqual(saved?.table, 'crm/contacts', 'deactivation keeps the cursor');
			const resumeFrom = server4.log.length;
			await running.activate(TRIGGER4_WORKFLOW_ID);
			const resumed = await until('the reactivation poll', pollWaitMs, () => feedPolls(resumeFrom)[0]);
			strictEqual(resumed.query.since, saved.asOf, 'the poll resumes from the saved cursor');
			await new Promise((resolve) => setTimeout(resolve, 1500));
			strictEqual((await triggerRuns()).length, 1, 'the replay started no execution');
			await running.deactivate(TRIGGER4_WORKFLOW_ID);
			strictEqual(dealsTable.recordList().length, dealsBefore + 3, 'three deals logged, no more');
			ok(
				server4.log.every((request) => !request.segments.join('/').startsWith(DEALS4) || request.method !== 'DELETE'),
				'nothing deleted in deals',
			);
			assertAllOk(server4.log);
			return `test event: ${sample.length} records; a poll emitted 3 changes (1 feed page + 2 record reads); quiet poll: 1 request; reactivation repeats nothing`;
		},
	},
];

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
			deepStrictEqual(
				ours.sort(),
				['ninox', 'ninox4', 'ninox4Tool', 'ninox4Trigger', 'ninoxTool', 'ninoxTrigger'].map((name) => `${CUSTOM_PREFIX}.${name}`),
			);
			const credentials = await running.rest<Array<{ name: string; iconUrl?: string | { light: string; dark: string } }>>(
				'GET',
				'/types/credentials.json',
			);
			const credentialTypes = [CREDENTIAL_TYPE, CREDENTIAL4_TYPE].map((name) => {
				const type = credentials.find((credential) => credential.name === name);
				ok(type, `credential type ${name} is registered`);
				return type;
			});

			// The editor loads each icon (light and dark) from the URL n8n lists: all must be served as SVG.
			const iconUrls = [...nodes.filter((node) => ours.includes(node.name)), ...credentialTypes].flatMap((type) =>
				typeof type.iconUrl === 'string' ? [type.iconUrl] : type.iconUrl ? [type.iconUrl.light, type.iconUrl.dark] : [],
			);
			strictEqual(iconUrls.length, 16, `light and dark icons for 6 node types and 2 credentials: ${JSON.stringify(iconUrls)}`);
			for (const url of new Set(iconUrls)) {
				const response = await fetch(`${running.baseUrl}/${url}`);
				const body = await response.text();
				ok(response.ok && /<svg[\s>]/.test(body), `icon ${url}: ${response.status} ${body.slice(0, 80)}`);
			}
			return `n8n lists ${ours.join(', ')}, ${CREDENTIAL_TYPE} and ${CREDENTIAL4_TYPE}; ${new Set(iconUrls).size} icon files served`;
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
				// A deleted record (the delete-many check leaves the latest ones) has its ids only.
				const fields = item.json.event === 'deleted' ? item.json.fields === undefined : typeof item.json.fields === 'object';
				ok(typeof item.json.recordId === 'number' && fields, JSON.stringify(item.json));
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
			const executions = await finishedTriggerRuns(running, TRIGGER_WORKFLOW_ID);
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
	...ninox4StartedCases,
];
