// Ends the run with the plain line CI reads: "N passed, N failed" (plus ", N skipped" when some were).
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestCase['outcome'] extends () => infer O ? O : never>();
  private readonly skipReasons = new Map<string, string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, test.outcome());
    if (result.status === 'skipped') {
      // a skip is never silent: its reason is printed with the summary
      const reason = result.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
      this.skipReasons.set(test.id, `${test.titlePath().filter(Boolean).slice(-2).join(' › ')}: ${reason}`);
    }
  }

  onEnd(result: FullResult): void {
    let passed = 0, failed = 0, skipped = 0;
    for (const outcome of this.outcomes.values()) {
      if (outcome === 'expected' || outcome === 'flaky') passed++;
      else if (outcome === 'skipped') skipped++;
      else failed++;
    }
    // a run that broke outside any test (setup, teardown, a crash) must not read as a pass
    if (failed === 0 && result.status !== 'passed') {
      process.stdout.write(`\nThe run ended as "${result.status}" outside any test.\n`);
      failed = 1;
    }
    for (const line of this.skipReasons.values()) process.stdout.write(`\nSKIPPED ${line}`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
