/**
 * A real, small PDF 1.4: a title and lines of text per page (Helvetica, WinAnsi), with a correct xref table, so
 * a client's "is this a PDF" checks and any PDF reader accept it.
 */

function pdfText(text: string): string {
  // Latin-1 passes as WinAnsi; anything beyond it becomes '?'
  const latin = [...text].map((c) => (c.charCodeAt(0) <= 0xff ? c : '?')).join('');
  return latin.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** One page per entry of `pages`, each a list of lines under `title`. */
export function renderPdf(title: string, pages: string[][]): Buffer {
  const objects: string[] = [];   // objects[i] is object number i + 1
  const add = (body: string): number => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('');   // the page tree, filled in once the pages exist
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pageRefs: string[] = [];
  for (const lines of pages.length ? pages : [[]]) {
    const ops = ['BT', '/F1 16 Tf', '50 790 Td', `(${pdfText(title)}) Tj`, '/F1 11 Tf', '0 -28 Td'];
    for (const line of lines.slice(0, 60)) ops.push(`(${pdfText(line)}) Tj`, '0 -15 Td');
    ops.push('ET');
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    const page = add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${content} 0 R >>`);
    pageRefs.push(`${page} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${pageRefs.length} >>`;

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
