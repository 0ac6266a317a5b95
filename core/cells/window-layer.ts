// What every cell's layer keeps the same way over its window of T steps: the hidden states and the length of the
// last forward. The equations stay in each cell's own file (rnn.ts, lstm.ts, gru.ts); this is only their bookkeeping.
import type { FloatArray } from '../tensor.js';
import { stepViews, type Workspace } from './cell.js';

export abstract class WindowLayer {
  readonly out: FloatArray;             // [T, B, H]: h_0 .. h_{T-1}, a view of hs
  protected readonly hs: FloatArray;    // [T+1, B, H]: h_{-1} = the start state's h, then h_0 .. h_{T-1}
  protected readonly h: FloatArray[];   // T+1 step views of hs
  #steps = -1;

  /** hs is the layer's first buffer, so every cell's buffers start in the same order in an arena. */
  constructor(private readonly cellName: string, ws: Workspace, maxSteps: number, rowSize: number) {
    this.hs = ws.floats((maxSteps + 1) * rowSize);
    this.h = stepViews(this.hs, maxSteps + 1, rowSize);
    this.out = this.hs.subarray(rowSize);
  }

  /** A forward over T steps has filled the caches. */
  protected ran(T: number): void {
    this.#steps = T;
  }

  /** T of the last forward, which backward and finalState work over; misuse (either before a forward) throws clearly. */
  protected requireForward(): number {
    if (this.#steps < 0) throw new Error(`${this.cellName} layer: backward or finalState called before forward`);
    return this.#steps;
  }

  /** The state after the last forward's final step, for cells that carry h alone (lstm carries c too, and says so). */
  finalState(dst: FloatArray): void {
    dst.set(this.h[this.requireForward()]);
  }
}
