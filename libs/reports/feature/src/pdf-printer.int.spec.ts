import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PdfPrinter } from './pdf-printer';

const documentSaying = (words: string, extraStyle = '') =>
  `<!DOCTYPE html><html lang="nl"><head><title>${words}</title><style>${extraStyle}</style></head><body><p>${words}</p></body></html>`;

/**
 * The printer keeps its pages between documents: each PDF must still hold its own document and
 * nothing of the one printed before it on the same page, also when prints run side by side, and a
 * browser that died is replaced on the next print.
 */
describe('the PDF printer', () => {
  const printer = new PdfPrinter();
  const dir = mkdtempSync(join(tmpdir(), 'maatlat-printer-'));
  afterAll(async () => {
    await printer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const textOf = (pdf: Buffer, name: string): string => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ').trim();
  };

  it('prints each document on its own, one after another and side by side, with nothing of an earlier one', async () => {
    expect(printer.unavailableReason()).toBeNull();
    const first = await printer.print(documentSaying('Eerste verslag', '@page { size: A5 landscape; } body { background: #fde; }'));
    const second = await printer.print(documentSaying('Tweede verslag'));
    expect(textOf(first, 'first')).toBe('Eerste verslag');
    expect(textOf(second, 'second')).toBe('Tweede verslag');
    // The first document's page size does not carry over to the next one on the kept page (A4 is 595 × 842 points).
    expect(execFileSync('pdfinfo', [join(dir, 'second.pdf')], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595\.\d* x 842/);

    const sideBySide = await Promise.all(Array.from({ length: 4 }, (_, i) => printer.print(documentSaying(`Verslag ${i + 1}`))));
    expect(sideBySide.map((pdf, i) => textOf(pdf, `side-${i}`))).toEqual(['Verslag 1', 'Verslag 2', 'Verslag 3', 'Verslag 4']);
  });

  it('launches a new browser when the kept one was killed, its kept pages with it', async () => {
    await printer.print(documentSaying('Voor de storing'));
    execFileSync('pkill', ['-KILL', '-P', String(process.pid), '-f', 'chromium']); // Chromium is this process's only such child
    // A print that was already on its way to the dead browser may fail; the one after it is printed by a new browser.
    const afterwards = await printer.print(documentSaying('Na de storing')).catch(() => printer.print(documentSaying('Na de storing')));
    expect(textOf(afterwards, 'after')).toBe('Na de storing');
  });
});
