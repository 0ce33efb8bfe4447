/**
 * The embeddable widget on an agency's page (another origin): one script tag with the agency's key
 * loads it; it shows the agency's name from `/api/config`, opens, and answers the first question
 * through the session API (CORS and the key), with its styles isolated in a shadow root.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../bot/http/auth.js';
import {
  artifact,
  ensureWebBuild,
  HAS_CHROMIUM,
  launchBrowser,
  type RunningApi,
  SKIP_REASON,
  startApi,
  startSite,
} from './support.js';

if (!HAS_CHROMIUM) console.warn(`test/web/widget.test.ts: ${SKIP_REASON}`);

const KEY = 'lh_widget-test-key-for-tests-only-000000000000';
const BRAND = { name: '鹏城人才服务', contact: '0755-8888 6666' };

describe.skipIf(!HAS_CHROMIUM)(`chat widget in Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  let api: RunningApi;
  let site: Awaited<ReturnType<typeof startSite>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const errors: string[] = [];
  const failed: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    let apiUrl = '';
    // The agency's own page, with hostile global styles the widget must not inherit.
    site = await startSite(
      () => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>某某人才服务</title>
<style>
  body { font: 20px/2 serif; color: rgb(255, 0, 0); background: #fafafa; }
  button { background: rgb(0, 128, 0) !important; color: yellow; border: 3px solid black; }
  .lh-bubble, .lh-key { display: none !important; }
</style></head>
<body><h1>欢迎来到某某人才服务</h1><p>我们提供深圳入户咨询。</p>
<script src="${apiUrl}/widget.js" data-api-key="${KEY}" data-lang="zh-CN"></script>
</body></html>`,
    );
    api = await startApi({
      apiKeys: [{ name: 'agency', sha256: hashKey(KEY) }],
      corsOrigins: [site.url],
      brand: BRAND,
    });
    apiUrl = api.url;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await site?.close();
  });

  const widget = () => page.locator('#luohu-widget');
  const lastBot = () => widget().locator('.lh-msg.lh-bot').last();

  it('loads from one script tag, shows the agency, opens, and answers the first question', async () => {
    await page.goto(site.url);
    // The floating button, branded from /api/config, in a shadow root (nothing in the page's DOM).
    await expect.poll(() => widget().locator('.launcher').getAttribute('title')).toBe(BRAND.name);
    expect(await page.evaluate("document.querySelectorAll('.lh-chat, .lh-bubble').length")).toBe(0);
    // The page's styles do not reach in.
    const launcherBackground = await widget()
      .locator('.launcher')
      .evaluate('(el) => getComputedStyle(el).backgroundColor');
    expect(launcherBackground).not.toBe('rgb(0, 128, 0)');

    await widget().locator('.launcher').click();
    await expect.poll(() => lastBot().getAttribute('data-kind')).toBe('consent');
    expect(await widget().locator('.head .title').textContent()).toBe(BRAND.name);
    expect(await widget().locator('.head .contact').textContent()).toBe(BRAND.contact);
    expect(await lastBot().locator('.lh-bubble').isVisible()).toBe(true);
    expect(await widget().locator('.lh-key').first().isVisible()).toBe(true);
    const color = await lastBot().locator('.lh-bubble').evaluate('(el) => getComputedStyle(el).color');
    expect(color).not.toBe('rgb(255, 0, 0)');

    // Consent by button, then the first question answered by typing.
    await widget().locator('.lh-keyboard [data-choice="agree"]').click();
    await expect.poll(() => lastBot().getAttribute('data-question')).toBe('birthDate');
    await widget().locator('.lh-input').fill('1993年4月9日');
    await widget().locator('.lh-input').press('Enter');
    await expect.poll(() => lastBot().getAttribute('data-question')).toBe('education');
    expect(await widget().locator('.lh-keyboard .lh-key').allTextContents()).toContain('本科');
    await page.screenshot({ path: artifact('web-widget.png') });

    // The session is the agency's: the API stored it, and refuses it without the key.
    const id = await page.evaluate('sessionStorage.getItem(sessionStorage.key(0))');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const anonymous = await fetch(`${api.url}/api/sessions/${id}`);
    expect(anonymous.status).toBe(401);
    const withKey = await fetch(`${api.url}/api/sessions/${id}`, { headers: { 'x-api-key': KEY } });
    expect(((await withKey.json()) as { view: { question: string } }).view.question).toBe('education');

    // A new page of the site continues the same conversation (this tab's session).
    await page.reload();
    await widget().locator('.launcher').click();
    await expect.poll(() => lastBot().getAttribute('data-question')).toBe('education');
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
  }, 120_000);
});
