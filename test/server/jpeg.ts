/**
 * A tiny baseline JPEG encoder (JFIF, YCbCr 4:4:4, the standard Annex K tables) so that `…/thumb.jpg`
 * returns a real image any decoder accepts — clients that parse or forward thumbnails are tested for real.
 */
import { createHash } from 'node:crypto';

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
];

const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

const CHROMA_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, ...new Array<number>(32).fill(99),
];

interface HuffmanSpec {
  bits: number[];   // how many codes of each length 1..16
  values: number[];
}

const DC_LUMA: HuffmanSpec = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA: HuffmanSpec = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const AC_LUMA: HuffmanSpec = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
    0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
    0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
    0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65,
    0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
    0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
    0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
    0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
    0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
};
const AC_CHROMA: HuffmanSpec = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
    0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16,
    0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86,
    0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
    0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9,
    0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
};

type CodeTable = Map<number, { code: number; length: number }>;

/** Canonical Huffman codes from a (bits, values) specification (JPEG Annex C). */
function buildCodes(spec: HuffmanSpec): CodeTable {
  const table: CodeTable = new Map();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < spec.bits[length - 1]; i++) table.set(spec.values[k++], { code: code++, length });
    code <<= 1;
  }
  return table;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      this.count++;
      if (this.count === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00);   // byte stuffing: 0xFF in entropy data is followed by 0
    this.acc = 0;
    this.count = 0;
  }

  finish(): number[] {
    while (this.count !== 0) this.write(1, 1);   // pad the last byte with 1-bits
    return this.bytes;
  }
}

function scaledQuant(base: number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, quality));
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

const COS = Array.from({ length: 8 }, (_, x) => Array.from({ length: 8 }, (_, u) => Math.cos(((2 * x + 1) * u * Math.PI) / 16)));

/** Forward DCT of an 8×8 block (level-shifted samples), quantized, in zigzag order. */
function transform(block: number[], quant: number[]): number[] {
  const out = new Array<number>(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * COS[x][u] * COS[y][v];
      }
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const cv = v === 0 ? Math.SQRT1_2 : 1;
      out[v * 8 + u] = Math.round((0.25 * cu * cv * sum) / quant[v * 8 + u]);
    }
  }
  return ZIGZAG.map((i) => out[i]);
}

function category(value: number): number {
  let abs = Math.abs(value);
  let n = 0;
  while (abs > 0) { n++; abs >>= 1; }
  return n;
}

function writeValue(w: BitWriter, value: number, size: number): void {
  if (size > 0) w.write(value < 0 ? value + (1 << size) - 1 : value, size);
}

function encodeBlock(w: BitWriter, coefficients: number[], previousDc: number, dc: CodeTable, ac: CodeTable): number {
  const diff = coefficients[0] - previousDc;
  const dcSize = category(diff);
  const dcCode = dc.get(dcSize) as { code: number; length: number };
  w.write(dcCode.code, dcCode.length);
  writeValue(w, diff, dcSize);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const c = coefficients[k];
    if (c === 0) { run++; continue; }
    while (run > 15) {
      const zrl = ac.get(0xf0) as { code: number; length: number };
      w.write(zrl.code, zrl.length);
      run -= 16;
    }
    const size = category(c);
    const code = ac.get((run << 4) | size) as { code: number; length: number };
    w.write(code.code, code.length);
    writeValue(w, c, size);
    run = 0;
  }
  if (run > 0) {
    const eob = ac.get(0x00) as { code: number; length: number };
    w.write(eob.code, eob.length);
  }
  return coefficients[0];
}

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

function huffmanSegment(tables: Array<[number, HuffmanSpec]>): number[] {
  const payload: number[] = [];
  for (const [id, spec] of tables) payload.push(id, ...spec.bits, ...spec.values);
  return segment(0xc4, payload);
}

/** Encodes RGB pixels (width*height*3 bytes, row by row) as a baseline JFIF JPEG. */
export function encodeJpeg(width: number, height: number, rgb: Uint8Array, quality = 85): Buffer {
  if (rgb.length !== width * height * 3) throw new Error('rgb must hold width*height*3 bytes');
  const lumaQ = scaledQuant(LUMA_QUANT, quality);
  const chromaQ = scaledQuant(CHROMA_QUANT, quality);
  const codes = { dcL: buildCodes(DC_LUMA), acL: buildCodes(AC_LUMA), dcC: buildCodes(DC_CHROMA), acC: buildCodes(AC_CHROMA) };

  const w = new BitWriter();
  const previous = [0, 0, 0];
  const blocks = [new Array<number>(64), new Array<number>(64), new Array<number>(64)];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          // edge pixels repeat when the size is not a multiple of 8
          const px = Math.min(bx + x, width - 1);
          const py = Math.min(by + y, height - 1);
          const o = (py * width + px) * 3;
          const r = rgb[o];
          const g = rgb[o + 1];
          const b = rgb[o + 2];
          blocks[0][y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          blocks[1][y * 8 + x] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          blocks[2][y * 8 + x] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      previous[0] = encodeBlock(w, transform(blocks[0], lumaQ), previous[0], codes.dcL, codes.acL);
      previous[1] = encodeBlock(w, transform(blocks[1], chromaQ), previous[1], codes.dcC, codes.acC);
      previous[2] = encodeBlock(w, transform(blocks[2], chromaQ), previous[2], codes.dcC, codes.acC);
    }
  }

  const bytes = [
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),   // JFIF 1.1, 1:1 aspect
    ...segment(0xdb, [0x00, ...ZIGZAG.map((i) => lumaQ[i]), 0x01, ...ZIGZAG.map((i) => chromaQ[i])]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]),
    ...huffmanSegment([[0x00, DC_LUMA], [0x10, AC_LUMA], [0x01, DC_CHROMA], [0x11, AC_CHROMA]]),
    ...segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]),
    ...w.finish(),
    0xff, 0xd9,
  ];
  return Buffer.from(bytes);
}

/** A 64×64 diagonal gradient whose two colours come from a hash of the file: same file, same thumbnail. */
export function thumbnailFor(file: Buffer, size = 64): Buffer {
  const h = createHash('sha256').update(file).digest();
  const from = [h[0], h[1], h[2]];
  const to = [h[3], h[4], h[5]];
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1));
      for (let c = 0; c < 3; c++) rgb[(y * size + x) * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  return encodeJpeg(size, size, rgb);
}
