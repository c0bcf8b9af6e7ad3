/** Owner setup on a fresh n8n, through the form a new user sees. */
import { OWNER } from '../stack';
import type { Walk } from '../walk';

export async function logIn(walk: Walk): Promise<void> {
	const { page, ui, report } = walk;
	await report.scene('log in', page, ['owner setup on a fresh n8n opens the editor home'], async (s) => {
		s.step('open n8n');
		await page.goto(ui.baseUrl);
		await page.waitForURL(/\/setup/);
		s.step('fill in the owner form');
		for (const [name, value] of Object.entries(OWNER)) await page.locator(`input[name="${name}"]`).fill(value);
		await ui.testId('form-submit-button').click();
		await s.verify('owner setup on a fresh n8n opens the editor home', async () => {
			await ui.testId('add-resource-workflow').waitFor();
			return `${new URL(page.url()).pathname}, "${(await ui.testId('project-name').innerText()).trim()}"`;
		});
	});
}
