/**
 * Imported first by the benchmark's entry points (they run under ts-node, outside jest):
 * - n8n-core writes its instance settings under N8N_USER_FOLDER, which must point at a temporary folder before
 *   n8n-core loads (the jest setup does the same for the tests);
 * - `import … from './Ninox.node'` names both Ninox.node.ts and its codex Ninox.node.json, and Node tries `.json`
 *   before the `.ts` that ts-node registers last. Moving `.ts` first is ts-node's `preferTsExts`, which the
 *   npm script cannot pass (jest already resolves `.ts` first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'ninox-n8n-bench-'));

function preferTypeScriptSources(): void {
	const loaders = require.extensions;
	if (!loaders['.ts']) return;
	const others = Object.entries(loaders).filter(([extension]) => extension !== '.ts');
	for (const [extension] of others) delete loaders[extension];
	for (const [extension, loader] of others) loaders[extension] = loader;
}

preferTypeScriptSources();
