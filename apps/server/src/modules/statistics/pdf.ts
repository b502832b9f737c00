import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { HttpError } from '../../http/errors.ts';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Prints an HTML page to an A4 PDF with the installed Chromium (the same rendering as the HTML
 * file, so the two never disagree). One print at a time: each launches a browser, and two at
 * once on a small server would compete for memory. The page loads nothing from the network.
 */
export function htmlToPdf(html: string, chromiumPath: string): Promise<Buffer> {
  const run = queue.then(async () => {
    if (!existsSync(chromiumPath)) {
      throw new HttpError(
        503,
        'pdf_unavailable',
        `PDFs are printed with Chromium, which is not installed at ${chromiumPath}. Install it (apt-get install chromium) or set CHROMIUM_PATH; the HTML and CSV files are available meanwhile.`,
      );
    }
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '18mm', bottom: '18mm', left: '15mm', right: '15mm' },
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate:
          '<div style="font-size:8px;width:100%;text-align:center;color:#4f5559">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
      });
    } finally {
      await browser.close();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
