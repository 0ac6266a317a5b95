// Nothing lost, nothing let in (issue 7), in the app: a page script cannot make main read a path, a drop
// opens by the token main hands out, and Save as… refuses to write over the corpus, saying so.
import { readFile } from 'node:fs/promises';
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

interface PageApi {
  api: {
    openCorpusFile(token: string): Promise<unknown>;
    openDroppedCorpus(file: unknown): Promise<unknown>;
    startTraining(token: string, h: unknown): Promise<unknown>;
  };
  __studioInvoke(channel: string, arg: unknown): Promise<unknown>;
}

test('a page script asking for /etc/passwd gets a clear refusal; a dropped file opens by token', async ({ studio }) => {
  const { page, corpora } = studio;
  const u = ui(page);
  const refusals = await page.evaluate(async () => {
    const g = globalThis as unknown as PageApi;
    const code = (p: Promise<unknown>) => p.then(() => 'opened', (e: Error) => JSON.parse(e.message.slice(e.message.indexOf('{"code"'))).message as string);
    const FileCtor = (globalThis as unknown as { File: new (parts: string[], name: string) => unknown }).File;
    return [
      await code(g.api.openCorpusFile('/etc/passwd')),
      await code(g.api.openCorpusFile(`file-${'0'.repeat(32)}`)),
      await code(g.api.openDroppedCorpus(new FileCtor(['root:x:0:0'], 'passwd'))),
      await code(g.__studioInvoke('corpus:open-path', { path: '/etc/passwd' })),
    ];
  });
  expect(refusals[0]).toMatch(/must be a file token the app handed out/);
  expect(refusals[1]).toMatch(/not a file this window was given/);
  expect(refusals[2]).toMatch(/could not tell where the file is/);
  expect(refusals[3]).toMatch(/Unknown request channel "corpus:open-path"/);
  await expect(u.report).toHaveCount(0);

  // a real drop: the preload resolves the path and registers it; the page only ever holds the token
  await studio.allowDrop('tiny-fables.txt', corpora.good);
  const dataTransfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'tiny-fables.txt'));
    return dt;
  })()`);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(u.startButton).toBeEnabled();
});

test('Save as… onto the corpus is refused with a message, and the corpus is untouched', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  const before = await readFile(corpora.good);
  await pickCorpus(page, dialogs, corpora.good);
  await setField(page.getByLabel('Hidden size'), '16');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');

  dialogs.willSave(corpora.good); // the user picks the corpus itself in the Save dialog and confirms replacing it
  await u.checkpoints.getByRole('button', { name: 'Save as…' }).click();
  const alert = u.checkpoints.getByRole('alert');
  await expect(alert).toHaveAttribute('data-code', 'output-refused');
  await expect(alert).toContainText('That file is not replaced');
  await expect(alert).toContainText('it is also an input');
  await alert.scrollIntoViewIfNeeded();
  await studio.screenshot('20-save-over-corpus-refused');
  expect(await readFile(corpora.good)).toEqual(before);
});
