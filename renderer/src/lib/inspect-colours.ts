// Colour scales of the Inspect view: surprisal in bits (white → yellow → red) and activations (blue ← white → red).

export const MAX_BITS = 8; // surprisal at or above this is the darkest red

type Rgb = [number, number, number];
const WHITE: Rgb = [255, 255, 255], YELLOW: Rgb = [255, 214, 102], RED: Rgb = [214, 48, 39], BLUE: Rgb = [45, 95, 220];

function mix(a: Rgb, b: Rgb, t: number): string {
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function surprisalColour(bits: number | null): string {
  if (bits === null || !Number.isFinite(bits)) return 'transparent';
  const x = clamp(bits / MAX_BITS, 0, 1);
  return x < 0.4 ? mix(WHITE, YELLOW, x / 0.4) : mix(YELLOW, RED, (x - 0.4) / 0.6);
}

export const SURPRISAL_GRADIENT = 'rgb(255,255,255), rgb(255,214,102) 40%, rgb(214,48,39)';

/** scale: the activation shown at full colour (1 for h, which is within ±1; the largest |c| for a cell state). */
export function activationColour(value: number, scale: number): string {
  const t = clamp(value / (scale || 1), -1, 1);
  return t >= 0 ? mix(WHITE, RED, t) : mix(WHITE, BLUE, -t);
}

export const ACTIVATION_GRADIENT = 'rgb(45,95,220), rgb(255,255,255) 50%, rgb(214,48,39)';

/** Relative luminance (WCAG 2) of an sRGB colour given as 0–255 channels. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** "rgb(r, g, b)" (what the scales above return) as channels; null for anything else ('transparent'). */
export function parseRgb(css: string): Rgb | null {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * Black or white, whichever reads better on a cell's shade: one of the two is always at least 4.58:1
 * (WCAG AA asks 4.5:1), where a fixed dark text fell to 3:1 on the strongest red and blue. null for an
 * unshaded cell, which keeps the theme's text colour.
 */
export function textColourOn(background: string): string | null {
  const bg = parseRgb(background);
  if (!bg) return null;
  return contrastRatio(bg, [0, 0, 0]) >= contrastRatio(bg, [255, 255, 255]) ? 'rgb(0, 0, 0)' : 'rgb(255, 255, 255)';
}
