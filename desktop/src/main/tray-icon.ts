/** A BGRA bitmap, the layout `nativeImage.createFromBitmap` takes. */
export interface Bitmap {
  width: number;
  height: number;
  buffer: Buffer;
}

type Rgb = readonly [number, number, number];

const BASE: Rgb = [0x1f, 0x5f, 0xbf];
const BADGE: Rgb = [0xd0, 0x21, 0x2f];
const WHITE: Rgb = [0xff, 0xff, 0xff];

// 3×5 glyphs, one string per row, for the badge's count.
const GLYPHS: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '+': ['...', '.#.', '###', '.#.', '...'],
};

/** What the badge says: the count, or "9+" once two digits would not fit. */
export const badgeText = (count: number): string => (count > 9 ? '9+' : String(count));

/**
 * The tray icon drawn in memory (no image files to ship): a blue disc, and for a non-zero count a red
 * badge in the lower right with the count in white. Drawn at `size` pixels square (16, or 32 for 2×).
 */
export function drawTrayIcon(options: { count: number; size?: number }): Bitmap {
  const size = options.size ?? 32;
  const buffer = Buffer.alloc(size * size * 4);
  const put = (x: number, y: number, [r, g, b]: Rgb) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const at = (y * size + x) * 4;
    buffer[at] = b;
    buffer[at + 1] = g;
    buffer[at + 2] = r;
    buffer[at + 3] = 0xff;
  };
  const disc = (cx: number, cy: number, radius: number, colour: Rgb) => {
    for (let y = 0; y < size; y += 1)
      for (let x = 0; x < size; x += 1)
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2) put(x, y, colour);
  };
  disc(size / 2, size / 2, size / 2 - 1, BASE);
  if (options.count <= 0) return { width: size, height: size, buffer };

  const badgeRadius = size * 0.34;
  const cx = size - badgeRadius;
  const cy = size - badgeRadius;
  disc(cx, cy, badgeRadius, BADGE);
  const text = badgeText(options.count);
  const scale = size >= 32 ? 2 : 1;
  const width = text.length * 3 * scale + (text.length - 1) * scale;
  const left = Math.round(cx - width / 2);
  const top = Math.round(cy - (5 * scale) / 2);
  [...text].forEach((char, index) => {
    const glyph = GLYPHS[char] ?? [];
    glyph.forEach((row, gy) => {
      [...row].forEach((cell, gx) => {
        if (cell !== '#') return;
        for (let dy = 0; dy < scale; dy += 1)
          for (let dx = 0; dx < scale; dx += 1)
            put(left + index * 4 * scale + gx * scale + dx, top + gy * scale + dy, WHITE);
      });
    });
  });
  return { width: size, height: size, buffer };
}

/** The colour at (x, y) as `[r, g, b, a]`, for specs and for anyone checking a drawn icon. */
export function pixelAt(bitmap: Bitmap, x: number, y: number): [number, number, number, number] {
  const at = (y * bitmap.width + x) * 4;
  const b = bitmap.buffer;
  return [b[at + 2] ?? 0, b[at + 1] ?? 0, b[at] ?? 0, b[at + 3] ?? 0];
}
