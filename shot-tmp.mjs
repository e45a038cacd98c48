import { chromium } from 'playwright-core';
const [width, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
for (const p of paths) {
  await page.goto('http://127.0.0.1:8816' + p);
  await page.screenshot({ path: `${out}/${width}${p.replace(/\//g, '_')}.png`, fullPage: true });
}
await browser.close();
