// The training phase in words: the Train view's controls and the Inspect view's bar say it the same way.
import type { TrainingPhase } from '../../../main/contract/api';

export const PHASE_LABEL: Record<TrainingPhase, string> = {
  idle: 'Ready', starting: 'Starting…', running: 'Training', paused: 'Paused',
  stopping: 'Stopping…', stopped: 'Stopped', crashed: 'Crashed',
};
