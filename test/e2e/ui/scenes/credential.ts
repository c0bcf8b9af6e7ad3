/**
 * A new Ninox credential: the connection test against a server that is not Ninox, and an address without a
 * scheme.
 */
import type { Locator } from 'playwright-core';

import { until } from '../../n8n';
import type { Editor } from '../editor';
import type { Walk } from '../walk';

export async function credentialTest(walk: Walk): Promise<void> {
	const { page, ui, report } = walk;
	const credential = {
		notNinox: '7 credential test against a server that is not Ninox (n8n itself) fails, saying so',
		noScheme: '7 a server address without https:// gets a hint, not a bare "Invalid URL"',
	};
	await report.scene('a new Ninox credential: the connection test', page, Object.values(credential), async (s) => {
		s.step('open "Add new credential"');
		const modal = await newCredential(ui, 'Ninox Token', 'Ninox Token API');
		s.step('On-Premise, pointing at n8n itself');
		await modal.getByTestId('parameter-input-environment').click();
		await page.getByRole('option').filter({ hasText: /^On-Premise/ }).click();
		await modal.getByTestId('parameter-input-baseUrl').locator('input').fill(ui.baseUrl);
		await modal.getByTestId('parameter-input-token').locator('input').fill('not-a-ninox-token');
		await modal.getByTestId('credential-save-button').click();
		await s.verify(credential.notNinox, async () => {
			const outcome = await credentialTestOutcome(modal);
			if (outcome.ok) throw new Error('"Connection tested successfully" against n8n');
			if (!/Ninox/.test(outcome.details)) throw new Error(`the test says only: ${outcome.text} ${outcome.details}`);
			return outcome.details;
		});
		s.step('a server address without a scheme');
		const first = await credentialTestOutcome(modal);
		await modal.getByTestId('parameter-input-baseUrl').locator('input').fill('127.0.0.1:1');
		await modal.getByTestId('credential-save-button').click();
		await s.verify(credential.noScheme, async () => {
			const serverUrl = modal.getByTestId('credential-connection-parameter').filter({ has: ui.testId('parameter-input-baseUrl') });
			const field = (await serverUrl.innerText()).replace(/\s+/g, ' ');
			const outcome = await nextCredentialTestOutcome(modal, first);
			if (/^\s*Invalid URL\s*$/i.test(outcome.details)) throw new Error(`the test says only "${outcome.details}"`);
			if (!/https:\/\//.test(field + outcome.details)) throw new Error(`no hint about https://: ${field} / ${outcome.details}`);
			return `${field.replace(/^Server URL \* Fixed Expression /, '')} / ${outcome.details || outcome.text}`;
		});
	});
}

/** "Add new credential" of the type the search `search` offers as `typeName`: its modal, open. */
export async function newCredential(ui: Editor, search: string, typeName: string): Promise<Locator> {
	await ui.closeNodeIfOpen();
	await ui.page.goto(`${ui.baseUrl}/home/credentials/create`);
	await ui.testId('new-credential-type-select').waitFor();
	await ui.page.keyboard.type(search);
	await ui.page.getByRole('option', { name: typeName, exact: true }).click();
	await ui.testId('new-credential-type-button').click();
	const modal = ui.testId('editCredential-modal');
	await modal.waitFor();
	return modal;
}

export interface CredentialTestOutcome {
	ok: boolean;
	text: string;
	details: string;
}

/** The credential test's banner after Save, with its "More details" opened. */
export async function credentialTestOutcome(modal: Locator): Promise<CredentialTestOutcome> {
	const success = modal.getByText('Connection tested successfully');
	const failure = modal.getByText(/Couldn.t connect with these settings/);
	await success.or(failure).first().waitFor({ timeout: 30_000 });
	if (await success.isVisible()) return { ok: true, text: 'Connection tested successfully', details: '' };
	const more = modal.getByText('More details');
	if (await more.isVisible()) await more.click();
	// n8n's banner keeps the node's message in its details part.
	const details = modal.locator('[class*="_details_"]').filter({ hasText: /\S/ });
	await details.waitFor({ timeout: 5_000 }).catch(() => undefined);
	return {
		ok: false,
		text: (await failure.first().innerText()).trim(),
		details: (await details.count()) ? (await details.first().innerText()).trim() : '',
	};
}

/** The banner of the test after `previous`: the previous banner stays until the new test has answered. */
export async function nextCredentialTestOutcome(modal: Locator, previous: CredentialTestOutcome): Promise<CredentialTestOutcome> {
	return await until('the next connection test', 30_000, async () => {
		const now = await credentialTestOutcome(modal);
		return now.ok !== previous.ok || now.details !== previous.details ? now : undefined;
	});
}
