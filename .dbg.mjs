import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const p = await (await b.newContext({ viewport: { width: 390, height: 900 } })).newPage();
await p.goto('http://127.0.0.1:8801/changes/2026-09-hafenlicht-nachtsupport-indien/index.html');
console.log(await p.evaluate(() => { const out = []; for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect(); if (r.right > 392) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right) + ' ' + (el.textContent || '').slice(0, 60)); } return out.slice(0, 15); }));
await p.screenshot({ path: 'tests/.tmp/dbg.png', fullPage: true });
await b.close();
