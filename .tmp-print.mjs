import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage();
await page.goto('http://127.0.0.1:8931/avv/', { waitUntil: 'load' });
await page.pdf({ path: '/tmp/avv-print.pdf', format: 'A4' });
await page.goto('http://127.0.0.1:8931/avv/documents/', { waitUntil: 'load' }).catch(() => {});
await browser.close();
