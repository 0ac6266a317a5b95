// Ends the run with the plain "N passed, N failed, N skipped" line CI reads, and repeats why tests were
// skipped, so a skip can never pass for a silent success.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SkipReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;
  private readonly reasons = new Set<string>();

  onTestEnd(test: TestCase, _result: TestResult): void {
    const outcome = test.outcome();
    if (outcome === 'expected' || outcome === 'flaky') this.passed++;
    else if (outcome === 'skipped') {
      this.skipped++;
      for (const a of test.annotations) if (a.type === 'skip' && a.description) this.reasons.add(a.description);
    } else this.failed++;
  }

  onEnd(result: FullResult): void {
    if (this.failed === 0 && result.status !== 'passed') this.failed = 1; // broke outside any test
    for (const reason of this.reasons) process.stdout.write(`\nSKIPPED (${this.skipped} Electron app test(s)): ${reason}\n`);
    process.stdout.write(`\n${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
