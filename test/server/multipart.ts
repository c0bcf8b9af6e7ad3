/**
 * A small multipart/form-data parser (RFC 7578) for file uploads: enough for curl, undici's FormData
 * and the form-data package n8n uses. File names may be UTF-8, `filename*=UTF-8''…` or HTML-escaped.
 */

export interface MultipartFile {
  name: string;         // the form field, e.g. "file"
  filename: string;
  contentType?: string; // as sent by the client; absent if the part had none
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

export class MultipartError extends Error {}

/** The boundary of a multipart/form-data content type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function param(header: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2].trim();
}

function decodeFilename(disposition: string): string | undefined {
  const extended = param(disposition, 'filename\\*');
  if (extended) {
    const m = /^([^']*)'[^']*'(.*)$/.exec(extended);
    if (m) {
      try {
        return decodeURIComponent(m[2]);
      } catch {
        return m[2];
      }
    }
  }
  const plain = param(disposition, 'filename');
  // browsers and undici escape these three characters this way (HTML form encoding)
  return plain?.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = { fields: {}, files: [] };
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('no multipart boundary in body');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return result;   // closing delimiter
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new MultipartError('part without headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new MultipartError('unterminated part');
    const data = body.subarray(headerEnd + 4, next);

    let disposition = '';
    let contentType: string | undefined;
    for (const line of headers) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-disposition') disposition = value;
      if (key === 'content-type') contentType = value;
    }
    const name = param(disposition, 'name');
    if (name === undefined) throw new MultipartError('part without a name');
    const filename = decodeFilename(disposition);
    if (filename !== undefined) {
      result.files.push({ name, filename, contentType, data: Buffer.from(data) });
    } else {
      result.fields[name] = data.toString('utf8');
    }
    pos = next + 2;
  }
}
