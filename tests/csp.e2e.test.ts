import { afterAll, describe, expect, it } from 'vitest';
import { startSite } from './setup/browser.ts';

/*
 * Chromium enforces the Content-Security-Policy on every page of the sitemap and reports no
 * violation: no inline script or style, nothing loaded from elsewhere, no framing. Together
 * with tests/security-headers.worker.test.ts (every answer carries the header) this shows the
 * policy is both present and compatible with the site.
 */
const site = await startSite();
afterAll(() => site.close());
const sitemap = await (await fetch(`${site.url}/sitemap.xml`)).text();
const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);

describe('Content-Security-Policy in Chromium', () => {
  it('the sitemap lists the site', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it.each(paths)('%s: enforced, zero violations', async (path) => {
    const context = await site.browser.newContext();
    try {
      // Init scripts are injected by the browser itself, so the policy does not block this one.
      await context.addInitScript(() => {
        const violations: string[] = [];
        Object.defineProperty(window, '__cspViolations', { value: violations });
        document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
      });
      const page = await context.newPage();
      const console: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) console.push(message.text());
      });
      const response = await page.goto(site.url + path, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await response?.headerValue('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      // Scripts of the page run after load (module scripts, deferred work).
      await page.waitForTimeout(100);
      const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
      expect([...violations, ...console], path).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
