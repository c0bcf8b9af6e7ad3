const { src, dest } = require('gulp');

// tsc leaves icons and codex files (Ninox.node.json: categories, docs links) alone: copy them next to the
// compiled nodes and credentials, where n8n looks for them.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = buildIcons;
