// Light checks of main↔worker messages: our own processes are on both ends, so only the envelope is
// checked (a known type, a numeric id, a payload), and a reply's shape. No zod: the worker bundle stays small.
import type { WorkerCommand, WorkerCommandType, WorkerEvent, WorkerEventType } from './worker.js';

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === null || v === undefined) return String(v);
  return typeof v === 'object' ? (Array.isArray(v) ? 'an array' : 'an object') : String(v);
}

// Records over the protocol's unions: a command or event added to worker.ts and missing here is a type error.
const COMMANDS: Record<WorkerCommandType, true> = {
  start: true, pause: true, resume: true, stop: true, status: true, sample: true, save: true, load: true, export: true,
  history: true, autosave: true, calibrate: true, shutdown: true,
  'inspect-surprisal': true, 'inspect-units': true, 'inspect-copies': true, 'inspect-temperatures': true,
};

const EVENTS: Record<WorkerEventType, true> = {
  ready: true, reply: true, progress: true, 'live-sample': true, 'corpus-progress': true, 'sample-chunk': true, status: true,
  autosaved: true, 'autosave-failed': true,
};

const COMMAND_TYPES: ReadonlySet<string> = new Set(Object.keys(COMMANDS));
const EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(EVENTS));

function envelope(message: unknown, types: ReadonlySet<string>, what: string): { type: string; id: number; payload: unknown } {
  if (typeof message !== 'object' || message === null) throw new Error(`${what} is ${shown(message)}, not an object`);
  const { type, id, payload } = message as Record<string, unknown>;
  if (typeof type !== 'string' || !types.has(type)) throw new Error(`${what} has an unknown type ${shown(type)}`);
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw new Error(`${what} "${type}" has a bad id ${shown(id)}`);
  if (payload === undefined) throw new Error(`${what} "${type}" has no payload`);
  return { type, id, payload };
}

export function parseWorkerCommand(message: unknown): WorkerCommand {
  return envelope(message, COMMAND_TYPES, 'A worker command') as WorkerCommand;
}

export function parseWorkerEvent(message: unknown): WorkerEvent {
  const e = envelope(message, EVENT_TYPES, 'A worker event');
  if (e.type === 'reply') {
    const r = e.payload as Record<string, unknown> | null;
    const ok = r !== null && typeof r === 'object' &&
      (r.ok === true ? 'result' in r : r.ok === false && typeof r.error === 'object' && r.error !== null);
    if (!ok) throw new Error(`A worker reply to command ${e.id} is malformed`);
  }
  return e as WorkerEvent;
}
