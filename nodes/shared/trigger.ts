/**
 * What the polling triggers of both Ninox generations share: the Events parameter and its reading, and the guard
 * that keeps overlapping polls from emitting a change twice.
 */
import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChangeEvent } from '../Ninox/helpers/changes';
import { CHANGE_EVENTS } from '../Ninox/helpers/changes';

export type { ChangeEvent };
export { CHANGE_EVENTS };

export const eventsParameter: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: ['created', 'updated', 'deleted'],
	description: 'Which record changes start the workflow',
	options: [
		{ name: 'Created', value: 'created', description: 'A new record' },
		{ name: 'Deleted', value: 'deleted', description: 'A record was deleted (only its IDs are known)' },
		{ name: 'Updated', value: 'updated', description: 'An existing record was changed' },
	],
};

/** The chosen Events; an error when none is chosen. */
export function readEvents(context: IPollFunctions): Set<ChangeEvent> {
	const chosen = context.getNodeParameter('events', CHANGE_EVENTS) as unknown;
	const events = (Array.isArray(chosen) ? chosen : []).filter((event): event is ChangeEvent =>
		CHANGE_EVENTS.includes(event as ChangeEvent),
	);
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No event selected', {
			description: 'Choose at least one of Created, Updated and Deleted under "Events".',
		});
	}
	return new Set(events);
}

export interface PollGuard {
	/** The node's static data, where the trigger keeps its cursor (plain JSON). */
	staticData: IDataObject;
	/**
	 * Whether another poll saved a cursor since this one started. n8n starts the next poll on schedule even while
	 * one is still running; the one that finds itself overtaken emits nothing and leaves the cursor alone (the other
	 * poll emitted those changes), so no change is emitted twice and the cursor never moves back.
	 */
	overtaken(): boolean;
}

/** Call at the start of a poll, before reading the cursor. */
export function guardPoll(context: IPollFunctions, nodeName: string): PollGuard {
	const staticData = context.getWorkflowStaticData('node');
	const startedAt = JSON.stringify(staticData);
	return {
		staticData,
		overtaken: () => {
			const moved = JSON.stringify(staticData) !== startedAt;
			if (moved) context.logger.debug(`${nodeName}: another poll moved the cursor meanwhile; this one emits nothing`);
			return moved;
		},
	};
}
