/**
 * The walk: what a new user does in the n8n editor with the Ninox nodes, and what the page must show them, one
 * scene after the other (scenes/). The numbers in the check names are the points of the issue "In the n8n
 * editor: no silent wrong writes, honest defaults, clear mapper errors" that the check holds the editor to.
 */
import type { BrowserContext, Page } from 'playwright-core';

import { DEMO } from '../../server';
import type { NinoxRecord } from '../../server';
import { Editor } from './editor';
import type { Report } from './report';
import { credentialTest } from './scenes/credential';
import { logIn } from './scenes/login';
import { ninox4CredentialTest } from './scenes/ninox4Credential';
import { ninox4NewNode } from './scenes/ninox4Node';
import { newNodeFromPanel } from './scenes/newNode';
import { operations } from './scenes/operations';
import { tableLocators } from './scenes/locators';
import { fetchTestEvent } from './scenes/trigger';
import type { Stack } from './stack';

/** What every scene works with. */
export interface Walk {
	page: Page;
	ui: Editor;
	report: Report;
	stack: Stack;
	/** The Contact table as the local Ninox server holds it now. */
	contacts(): NinoxRecord[];
	/** HTTP 5xx answers the editor received (n8n's REST API or anything else). */
	serverErrors: string[];
	/** "Add Option" buttons as each opened node panel spells them. */
	addOptionLabels: Map<string, string[]>;
	noteAddOptionLabels(node: string): Promise<void>;
}

const SCENES = [logIn, newNodeFromPanel, tableLocators, operations, fetchTestEvent, ninox4NewNode, credentialTest, ninox4CredentialTest];

export async function walk(stack: Stack, context: BrowserContext, report: Report): Promise<void> {
	const page = await context.newPage();
	const ui = new Editor(page, stack.running.baseUrl);
	// Leaving a workflow with unsaved changes asks through the browser.
	page.on('dialog', (dialog) => void dialog.accept());
	const serverErrors: string[] = [];
	page.on('response', (response) => {
		if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
	});
	if (process.env.UI_WALK_DEBUG) logNavigation(page);
	const addOptionLabels = new Map<string, string[]>();
	const state: Walk = {
		page,
		ui,
		report,
		stack,
		contacts: () => stack.server.store.getRecords(DEMO.teamId, DEMO.dbId, DEMO.contactTableId),
		serverErrors,
		addOptionLabels,
		noteAddOptionLabels: async (node) => {
			addOptionLabels.set(node, await ui.addOptionLabels());
		},
	};
	for (const scene of SCENES) await scene(state);
	await page.close();
}

/** UI_WALK_DEBUG=1: the editor's route changes and workflow requests, with the time since the start. */
function logNavigation(page: Page): void {
	const started = Date.now();
	const at = () => `   [${((Date.now() - started) / 1000).toFixed(1)} s]`;
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame()) console.log(`${at()} → ${frame.url()}`);
	});
	page.on('request', (request) => {
		if (request.url().includes('/rest/workflows')) console.log(`${at()} ${request.method()} ${request.url()}`);
	});
}
