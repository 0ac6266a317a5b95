// How numbers, durations, sizes and characters are shown to people.

const LN2 = Math.LN2;

export type LossUnit = 'nats' | 'bits';

export function lossIn(nats: number, unit: LossUnit): number {
  return unit === 'bits' ? nats / LN2 : nats;
}

/** n with exactly `digits` decimals, in the user's locale (0.699 or 0,699). */
export function formatFixed(n: number, digits: number, locale?: string): string {
  return n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true });
}

export function formatLoss(nats: number | null | undefined, unit: LossUnit = 'nats', locale?: string): string {
  if (nats === null || nats === undefined || !Number.isFinite(nats)) return '—';
  return formatFixed(lossIn(nats, unit), 3, locale);
}

/** Whole numbers with the user's locale's grouping: 20,870 (en), 20.870 (de), 20 870 (fr). */
export function formatInteger(n: number, locale?: string): string {
  return Math.round(n).toLocaleString(locale);
}

/**
 * A probability as a percentage: whole percents from 10%, one decimal below, and "<0.1%" for a chance the
 * model did give that would round to "0.0%" (which reads as "never").
 */
export function formatProbability(p: number): string {
  if (p > 0 && p < 0.0005) return '<0.1%';
  return `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;
}

export function formatRate(perSecond: number, locale?: string): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  if (perSecond >= 1e6) return `${formatFixed(perSecond / 1e6, 2, locale)} M`;
  if (perSecond >= 1e4) return `${formatFixed(perSecond / 1e3, 1, locale)} k`;
  return formatInteger(perSecond, locale);
}

/** 3:07, 1:02:03, or 2 d 04:05 (past a day the seconds no longer matter). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  let s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = h > 0 || days > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
  return days > 0 ? `${days} d ${two(h)}:${two(m)}` : clock;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

const NAMED: Record<number, string> = {
  0x09: 'tab', 0x0a: 'newline', 0x0d: 'CR', 0x20: 'space', 0xa0: 'nbsp', 0xfeff: 'BOM', 0x200b: 'ZWSP',
};

/** A character as a person can see it: itself when printable, else a name or U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (NAMED[cp]) return NAMED[cp];
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return codePoint(ch);
  return ch;
}

export function codePoint(ch: string): string {
  return 'U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function formatDate(iso: string, locale?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
