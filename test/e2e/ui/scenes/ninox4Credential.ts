/**
 * A new Ninox 4 credential: the connection test passes against the local Ninox 4 server, fails where Ninox 4
 * answers 200 with its web app's HTML (it does for every path it does not know, so only a JSON answer may pass),
 * and fails against n8n itself.
 */
import type { Walk } from '../walk';
import { credentialTestOutcome, newCredential, nextCredentialTestOutcome } from './credential';

export async function ninox4CredentialTest(walk: Walk): Promise<void> {
	const { page, ui, report, stack } = walk;
	const { server4 } = stack;
	const credential = {
		local: 'Ninox 4 credential test against the local Ninox 4 server passes',
		html: 'Ninox 4 credential test where Ninox 4 answers 200 with its web app\'s HTML (a base URL with a path) fails, saying the answer is not from Ninox 4',
		notNinox4: 'Ninox 4 credential test against n8n itself fails',
	};
	await report.scene('a new Ninox 4 credential: the connection test', page, Object.values(credential), async (s) => {
		s.step('open "Add new credential"');
		const modal = await newCredential(ui, 'Ninox 4', 'Ninox 4 API');
		const input = (name: string) => modal.getByTestId(`parameter-input-${name}`).locator('input');
		s.step('the local Ninox 4 server');
		await input('apiKey').fill(server4.key);
		await input('workspaceId').fill(server4.workspaceId);
		await input('baseUrl').fill(server4.url);
		await modal.getByTestId('credential-save-button').click();
		const local = await credentialTestOutcome(modal);
		await s.verify(credential.local, async () => {
			if (!local.ok) throw new Error(`the test says: ${local.text} ${local.details}`);
			return local.text;
		});
		s.step('a base URL under which Ninox 4 answers its web app');
		// …/app/api/v1/workspace/{id} is no API path: the local server answers 200 with HTML, as Ninox 4 does.
		await input('baseUrl').fill(`${server4.url}/app`);
		await modal.getByTestId('credential-save-button').click();
		const html = await nextCredentialTestOutcome(modal, local);
		await s.verify(credential.html, async () => {
			const answered = server4.log.filter((request) => request.rawPath.startsWith('/app/api/v1/workspace/'));
			if (!answered.length || answered.some((request) => request.status !== 200)) {
				throw new Error(`the server answered ${answered.map((request) => request.status).join(', ') || 'nothing'}`);
			}
			if (html.ok) throw new Error('"Connection tested successfully" for an HTML page');
			if (!/not from the Ninox 4 API/.test(html.details)) throw new Error(`the test says only: ${html.text} ${html.details}`);
			return html.details;
		});
		s.step('the same credential pointing at n8n');
		await input('baseUrl').fill(ui.baseUrl);
		await modal.getByTestId('credential-save-button').click();
		await s.verify(credential.notNinox4, async () => {
			const outcome = await nextCredentialTestOutcome(modal, html);
			if (outcome.ok) throw new Error('"Connection tested successfully" against n8n');
			return `${outcome.text}: ${outcome.details}`;
		});
	});
}
