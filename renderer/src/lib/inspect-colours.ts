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
