import { randomString } from 'n8n-workflow';

export interface FilePart {
	/** The form field that carries the file. */
	name: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

/**
 * A multipart/form-data body (RFC 7578): text fields, then the file. The file name is sent the way browsers send
 * it (UTF-8, with `"` and line breaks percent-escaped) and, unless it is plain ASCII, also as `filename*`
 * (RFC 5987), which servers prefer and which is unambiguous.
 */
export function multipartForm(fields: Array<[string, string]>, file: FilePart): { body: Buffer; contentType: string } {
	let boundary: string;
	do boundary = `----n8nNinoxBoundary${randomString(24)}`;
	while (file.data.includes(boundary) || fields.some(([, value]) => value.includes(boundary)));

	const { fileName } = file;
	const quoted = fileName.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
	// Plain printable ASCII needs nothing more; `%`, `"` and `\` would be ambiguous in the quoted form alone.
	const extended = /^[\x20-\x7e]*$/.test(fileName) && !/[%"\\]/.test(fileName)
		? ''
		: `; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;
	const parts: Buffer[] = fields.map(([name, value]) =>
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'),
	);
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${quoted}"${extended}\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			'utf8',
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
