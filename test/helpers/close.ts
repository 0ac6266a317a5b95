// expectClose: compare arrays with a tolerance and say where they differ (tfjs's expectArraysClose).
import assert from 'node:assert/strict';

/** Fails with the label, the largest difference and the first index past the tolerance. */
export function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>, relTol: number, absTol = 1e-12): void {
  assert.equal(got.length, want.length, `${label}: length ${got.length}, expected ${want.length}`);
  let maxDiff = 0, firstBad = -1;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= absTol + relTol * Math.abs(want[i]))) {
      if (firstBad < 0) firstBad = i;
    }
    if (!(d <= maxDiff)) maxDiff = d;
  }
  if (firstBad >= 0) {
    assert.fail(`${label}: max |diff| ${maxDiff}; first bad index ${firstBad}: got ${got[firstBad]}, want ${want[firstBad]} (rel tol ${relTol})`);
  }
}

export function flat(nested: number[] | number[][]): number[] {
  return (nested as (number | number[])[]).flat() as number[];
}
