// The worker trains below normal priority: on a laptop's few cores the window (and whatever else the user
// runs) stays responsive while training takes every cycle left over. Nothing is lost when the machine is
// otherwise idle: a lower priority only matters when something else wants the CPU.
import { constants, setPriority } from 'node:os';

/**
 * Lower this process's priority, before any training thread starts (on Linux the niceness is per thread and
 * a new thread inherits its creator's). Returns why it could not, or null; it never stops the worker.
 */
export function trainBelowNormalPriority(): string | null {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
