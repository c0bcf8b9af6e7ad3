/**
 * The n8n editor as a user meets it, in the words of its data-test-id attributes: the canvas, the nodes panel,
 * the node's panel (NDV) with its parameters, resource locators and field mapper, and the output panel.
 * Every action waits for what it needs; nothing sleeps a fixed time.
 */
import type { Locator, Page } from 'playwright-core';

import { until } from '../n8n';

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	testId(id: string): Locator {
		return this.page.getByTestId(id);
	}

	// ─── canvas ────────────────────────────────────────────────────────────────

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.testId('canvas-node').first().waitFor();
	}

	canvasNode(name: string): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	/** A node's name and subtitle as the canvas shows them. */
	async canvasNodeText(name: string): Promise<string> {
		return (await this.canvasNode(name).innerText()).replace(/\s+/g, ' ').trim();
	}

	async openNode(name: string): Promise<void> {
		await this.canvasNode(name).dblclick();
		await this.ndv.waitFor();
	}

	async closeNode(): Promise<void> {
		await this.testId('ndv-close-button').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	/** The node's panel: n8n closes it when it saves a new workflow under its id, so open it again if needed. */
	async ensureNodeOpen(name: string): Promise<void> {
		if (!(await this.ndv.isVisible())) await this.openNode(name);
	}

	/** A scene that stopped may have left a node's panel open. */
	async closeNodeIfOpen(): Promise<void> {
		if (await this.ndv.isVisible()) await this.closeNode();
	}

	// ─── nodes panel ───────────────────────────────────────────────────────────

	creatorItem(name: string | RegExp): Locator {
		return this.testId('node-creator-item-name').filter({ hasText: typeof name === 'string' ? exactly(name) : name });
	}

	/** A new workflow, its nodes panel searched for `search` and opened on `node`'s actions, `action` among them. */
	async newWorkflowAtActions(search: string, node: string, action: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/home/workflows`);
		await this.testId('add-resource-workflow').click();
		await this.testId('canvas-add-button').click();
		await this.testId('node-creator-search-bar').fill(search);
		await this.creatorItem(node).click();
		// A node with a trigger lists its trigger events and its actions in categories of their own.
		const actions = this.testId('node-creator-category-item').filter({ hasText: /^Actions/ });
		await actions.or(this.creatorItem(action)).first().waitFor();
		if (await actions.isVisible()) await actions.click();
		await this.creatorItem(action).waitFor();
	}

	// ─── node panel (NDV) ──────────────────────────────────────────────────────

	get ndv(): Locator {
		return this.testId('ndv');
	}

	/** The credential the node's panel shows as chosen. */
	async chosenCredential(): Promise<string> {
		return await this.testId('node-credentials-select').locator('input').first().inputValue();
	}

	get parameters(): Locator {
		return this.testId('node-parameters');
	}

	/** The `.parameter-item` holding the input of a parameter (label, input, hints, notices). */
	parameterItem(name: string): Locator {
		return this.parameters.locator('.parameter-item').filter({ has: this.testId(`parameter-input-${name}`) }).last();
	}

	async selectOption(parameter: string, option: string): Promise<void> {
		await this.testId(`parameter-input-${parameter}`).click();
		await this.page.getByRole('option', { name: option, exact: true }).click();
	}

	/** The options a dropdown offers (it is closed again afterwards). */
	async optionsOf(input: Locator): Promise<string[]> {
		await input.click();
		const options = this.page.getByRole('option');
		await options.first().waitFor();
		const texts = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
		await this.page.keyboard.press('Escape');
		return texts;
	}

	/** The words on the node's "Add Option" buttons (a collection's placeholder), as shown. */
	async addOptionLabels(): Promise<string[]> {
		const buttons = this.parameters.getByTestId('collection-parameter-add');
		const labels: string[] = [];
		for (const button of await buttons.all()) {
			const text = (await button.innerText()).trim();
			const input = button.locator('input');
			const placeholder = (await input.count()) ? await input.first().getAttribute('placeholder') : null;
			const label = text || placeholder?.trim();
			if (label) labels.push(label);
		}
		return labels;
	}

	locator(parameter: string): Locator {
		return this.testId(`resource-locator-${parameter}`);
	}

	async locatorMode(parameter: string, mode: 'From list' | 'By URL' | 'By ID'): Promise<void> {
		await this.locator(parameter).getByTestId('rlc-mode-selector').click();
		await this.page.getByRole('option', { name: mode, exact: true }).click();
	}

	/** Opens a locator's list and returns its entries as shown. */
	async locatorEntries(parameter: string): Promise<string[]> {
		await this.locator(parameter).getByTestId('rlc-input').click();
		await this.testId('rlc-item').first().waitFor();
		return this.testId('rlc-item').allInnerTexts();
	}

	/** Picks the open list's entry whose text starts with `name`. */
	async pickEntry(name: string): Promise<void> {
		await this.testId('rlc-item').filter({ hasText: new RegExp(`^${escape(name)}\\b`) }).first().click();
		await this.testId('rlc-item').first().waitFor({ state: 'hidden' });
	}

	async typeInLocator(parameter: string, text: string): Promise<void> {
		const input = this.locator(parameter).getByTestId('rlc-input');
		await input.fill(text);
		await input.blur();
	}

	/**
	 * After a locator changed, the editor asks the node for the mapper's fields again: waits for that answer (the
	 * editor may also decide not to ask, hence the bound).
	 */
	async mapperLoaded(): Promise<void> {
		await this.page
			.waitForResponse((response) => response.url().includes('/rest/dynamic-node-parameters/resource-mapper-fields'), {
				timeout: 5_000,
			})
			.catch(() => undefined);
	}

	get mapper(): Locator {
		return this.testId('resource-mapper-container');
	}

	mapperField(field: string): Locator {
		return this.testId('mapping-fields-container')
			.locator('.parameter-item')
			.filter({ has: this.testId(`parameter-input-${field}`) })
			.last();
	}

	/**
	 * "Add field to send" (the mapper starts without fields in Map Each Column Manually): picks `field` and returns
	 * what the menu offered, as shown (a field's label may carry a hint in parentheses). The menu is closed by the
	 * pick: Escape would close the node's panel as well.
	 */
	async addMapperField(field: string): Promise<string[]> {
		await this.testId('add-fields-select').locator('button').click();
		const items = this.page.getByRole('menu').getByRole('menuitem');
		await items.first().waitFor();
		const offered = (await items.allInnerTexts()).map((text) => text.trim());
		await items.filter({ hasText: new RegExp(`^${escape(field)}( \\(|$)`) }).click();
		await this.mapperField(field).waitFor();
		return offered;
	}

	async removeMapperField(field: string): Promise<void> {
		await this.testId(`remove-field-button-${field}`).click();
		await this.mapperField(field).waitFor({ state: 'detached' });
	}

	async mappingMode(mode: 'Map Automatically' | 'Map Each Column Manually'): Promise<void> {
		await this.testId('mapping-mode-select').click();
		await this.page.getByRole('option').filter({ hasText: mode }).click();
	}

	// ─── running and the output panel ──────────────────────────────────────────

	get output(): Locator {
		return this.testId('output-panel');
	}

	/**
	 * Clicks "Execute step" (or "Fetch Test Event") and waits until the output panel shows a new result: items or
	 * an error, or n8n refuses to run. Returns the error headline and description, if any.
	 */
	async execute(): Promise<RunResult> {
		const before = await this.output.innerText();
		// n8n refuses to run a node with a parameter issue (e.g. a required field left empty) in a toast only.
		const refusals = this.page.getByText(/The workflow has issues and cannot be executed/);
		const refusedBefore = await refusals.count();
		await this.testId('node-execute-button').click();
		const result = this.output.locator('[data-test-id="ndv-items-count"], [data-test-id="node-error-message"]').first();
		const refused = await until('the output panel to show a result', 60_000, async () => {
			if ((await refusals.count()) > refusedBefore) return true;
			return (await result.isVisible()) ? false : undefined;
		});
		if (refused) return { error: 'n8n did not run the node', description: (await refusals.last().innerText()).trim() };
		// A node run again may show its previous output until the new one arrives.
		await until('the output panel to show the new result', 60_000, async () => {
			const text = await this.output.innerText();
			return text !== before && /\d+ items?|rror/.test(text) && !/Executing/.test(text) ? true : undefined;
		});
		const error = this.output.getByTestId('node-error-message');
		if (!(await error.count())) return {};
		const description = this.output.getByTestId('node-error-description');
		return {
			error: (await error.first().innerText()).trim(),
			description: (await description.count()) ? (await description.first().innerText()).trim() : '',
		};
	}

	async itemCount(): Promise<number> {
		const text = await this.output.getByTestId('ndv-items-count').first().innerText();
		const count = /(\d+) items?/.exec(text);
		if (!count) throw new Error(`the output panel says "${text}", not "N items"`);
		return Number(count[1]);
	}

	/** The output's Table view: column headers and the rows' cell texts. */
	async outputTable(): Promise<{ headers: string[]; rows: string[][] }> {
		await this.output.getByTestId('radio-button-table').click();
		const table = this.output.getByTestId('ndv-data-container').locator('table').first();
		await table.waitFor();
		const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
		const rows = await table
			.locator('tbody tr')
			.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
		return { headers, rows };
	}
}

/** What Execute step showed: nothing for a success, else the error panel's headline and description. */
export interface RunResult {
	error?: string;
	description?: string;
}

/** Throws the error panel's text when the run failed. */
export function expectSuccess(run: RunResult): void {
	if (run.error) throw new Error(`the node failed: ${run.error} — ${run.description ?? ''}`);
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactly(text: string): RegExp {
	return new RegExp(`^${escape(text)}$`);
}
