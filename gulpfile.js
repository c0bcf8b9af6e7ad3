const { src, dest } = require('gulp');

// Icons are not touched by tsc: copy them next to the compiled nodes and credentials.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = buildIcons;
