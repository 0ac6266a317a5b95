// A node:test reporter that writes only the run's final counts, as JSON, for scripts/test.mjs.
export default async function* countReporter(source) {
  const counts = {};
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.nesting === 0) {
      const m = /^(tests|pass|fail|skipped|todo|cancelled) (\d+)$/.exec(event.data.message);
      if (m) counts[m[1]] = Number(m[2]);
    }
  }
  yield JSON.stringify(counts) + '\n';
}
