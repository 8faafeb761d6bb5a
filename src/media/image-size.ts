// The format and pixel size of a PNG or JPEG, read from its header in JavaScript. Asking sharp
// (libvips) for the same costs about half a millisecond of the event loop's time per image; an
// upstream that already answered the exact size and format asked for needs no more than this.
// Reads what sharp's metadata() reads (the header), so it vouches for no more than that does.

export interface ImageSize {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** JPEG start-of-frame markers (the ones that carry the image size): C0-CF but C4, C8, CC. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function pngSize(data: Buffer): ImageSize | undefined {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  return width > 0 && height > 0 ? { format: 'png', width, height } : undefined;
}

function jpegSize(data: Buffer): ImageSize | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // no length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame header
    if (isStartOfFrame(marker)) {
      const height = data.readUInt16BE(at + 5);
      const width = data.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { format: 'jpeg', width, height } : undefined;
    }
    at += 2 + data.readUInt16BE(at + 2);
  }
  return undefined;
}

/** The size of a PNG or JPEG from its header; undefined for anything else (or a header it cannot read). */
export function readImageSize(data: Buffer): ImageSize | undefined {
  return pngSize(data) ?? jpegSize(data);
}
