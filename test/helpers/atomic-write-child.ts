// A writer killed at one step of writeFileAtomic (test/integration/faults.test.ts): replaces TARGET with
// SOURCE's bytes and sends itself SIGKILL at STEP, as a crash or a power cut would stop it there.
// Usage: node --import tsx test/helpers/atomic-write-child.ts TARGET SOURCE STEP
import { readFileSync } from 'node:fs';
import { writeFileAtomic, type AtomicWriteStep } from '../../main/files/atomic-write.js';

const [target, source, step] = process.argv.slice(2) as [string, string, AtomicWriteStep];
await writeFileAtomic(target, readFileSync(source), (s) => {
  if (s === step) process.kill(process.pid, 'SIGKILL');
});
process.stdout.write('finished without being killed\n');
