/**
 * The staff simulator in a real browser: a whole consultation by clicking (with a language switch
 * and a command from the menu), the debug panes, the transcript exported as a dialogue script that
 * `luohu simulate --script` replays as a test, and the script loaded back into the page to watch it
 * play with each expectation checked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Script, ScriptSchema } from '../../bot/simulate/script.js';
import {
  AS_OF,
  artifact,
  ensureWebBuild,
  HAS_CHROMIUM,
  launchBrowser,
  ROOT,
  type RunningApi,
  SKIP_REASON,
  startApi,
} from './support.js';

if (!HAS_CHROMIUM) console.warn(`test/web/simulator.test.ts: ${SKIP_REASON}`);

const CLI = join(ROOT, 'dist', 'bot', 'cli.js');

describe.skipIf(!HAS_CHROMIUM)(`web simulator in Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  let api: RunningApi;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let work: string;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    api = await startApi();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    work = mkdtempSync(join(tmpdir(), 'luohu-web-'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The latest bot message (the one with the keyboard). */
  const lastBot = () => page.locator('.lh-msg.lh-bot').last();

  /** Taps a button of the current keyboard and waits for the bot's answer. */
  async function tap(choice: string) {
    const count = await page.locator('.lh-msg.lh-bot').count();
    await page.locator(`.lh-keyboard [data-choice="${choice}"]`).click();
    await expect.poll(() => page.locator('.lh-msg.lh-bot').count()).toBe(count + 1);
  }

  /** Types a message and waits for the bot's answer. */
  async function say(text: string) {
    const count = await page.locator('.lh-msg.lh-bot').count();
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-input').press('Enter');
    await expect.poll(() => page.locator('.lh-msg.lh-bot').count()).toBe(count + 1);
  }

  /** The question the latest message asks. */
  const question = () => lastBot().getAttribute('data-question');

  it('completes a consultation by clicking, switches language, exports the transcript, and the CLI replays it', async () => {
    await page.goto(`${api.url}/?asOf=${AS_OF}&delay=0`);
    await expect.poll(() => lastBot().getAttribute('data-kind')).toBe('consent');
    expect(await page.getByTestId('state-value').textContent()).toBe('consent');

    await tap('agree');
    expect(await question()).toBe('birthDate');
    await say('1993-04-09');
    expect(await question()).toBe('education');
    // The education buttons, in Chinese, laid out like Telegram's inline keyboard.
    await expect.poll(() => page.locator('.lh-keyboard .lh-key').allTextContents()).toContain('本科');
    await tap('bachelor');
    expect(await question()).toBe('educationMode');

    // The language switch: the same question again, now in English, with a notice.
    const count = await page.locator('.lh-msg.lh-bot').count();
    await page.getByTestId('chat-lang-en').click();
    await expect.poll(() => page.locator('.lh-msg.lh-bot').count()).toBe(count + 1);
    expect(await question()).toBe('educationMode');
    expect(await lastBot().locator('.lh-notice').textContent()).toBe('Switched to English.');
    expect(await page.getByTestId('lang-value').textContent()).toBe('en');
    expect(await page.getByTestId('chat-input').getAttribute('placeholder')).toMatch(/Type an answer/);

    await tap('regular');
    expect(await question()).toBe('creditHighRisk');
    await tap('no');
    expect(await question()).toBe('ownsProperty');
    await tap('no');
    await tap('no');
    expect(await question()).toBe('employerCollective');
    await tap('yes');
    expect(await question()).toBe('guangdongHukou');
    // The debug pane follows every turn: the answers so far, the state, a provisional decision.
    await page.getByTestId('tab-profile').click();
    expect(await page.getByTestId('answers').textContent()).toContain('employerCollective');
    await page.getByTestId('tab-decision').click();
    await tap('no');
    expect(await lastBot().getAttribute('data-kind')).toBe('result');
    expect(await lastBot().textContent()).toContain('Verdict: instant approval');

    // The live decision, with each condition and its clause.
    expect(await page.getByTestId('verdict-value').textContent()).toBe('instant');
    expect(await page.getByTestId('route').textContent()).toBe('degree-bachelor');
    expect(await page.getByTestId('settlement').textContent()).toBe('employer-collective');
    const conditions = page.getByTestId('conditions-degree-bachelor');
    expect(await conditions.locator('tbody tr').count()).toBe(3);
    expect(await conditions.textContent()).toContain('plan-2019/scope/degree-1');
    expect(await page.getByTestId('state-value').textContent()).toBe('active.result');

    // A command from the menu (as on Telegram), then back to the result.
    await page.getByTestId('chat-menu').click();
    const before = await page.locator('.lh-msg.lh-bot').count();
    await page.locator('.lh-menu [data-command="summary"]').click();
    await expect.poll(() => page.locator('.lh-msg.lh-bot').count()).toBe(before + 1);
    expect(await lastBot().getAttribute('data-kind')).toBe('summary');
    await tap('continue');
    expect(await lastBot().getAttribute('data-kind')).toBe('result');

    // Only the latest message keeps its buttons, as on Telegram.
    expect(await page.locator('.lh-keyboard').count()).toBe(1);
    await page.screenshot({ path: artifact('web-simulator.png') });

    // Export the transcript as a dialogue script.
    await page.getByTestId('tab-transcript').click();
    expect(await page.getByTestId('transcript-step').count()).toBe(12);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const file = join(work, 'exported.yaml');
    await download.saveAs(file);
    const script: Script = ScriptSchema.parse(parseYaml(readFileSync(file, 'utf8')));
    expect(script.lang).toBe('zh-CN');
    expect(script.asOf).toBe(AS_OF);
    expect(script.start).toEqual({ kind: 'consent' });
    expect(script.steps.map((s) => s.say ?? `[${s.tap}]`)).toEqual([
      '[agree]',
      '1993-04-09',
      '[bachelor]',
      'English',
      '[regular]',
      '[no]',
      '[no]',
      '[no]',
      '[yes]',
      '[no]',
      '/summary',
      '[continue]',
    ]);
    expect(script.steps[1]?.expect).toEqual({ question: 'education' });
    expect(script.steps.at(-1)?.expect).toEqual({
      verdict: 'instant',
      route: 'degree-bachelor',
      settlement: 'employer-collective',
    });

    // `luohu simulate --script` replays it as a test.
    expect(existsSync(CLI), 'dist/bot/cli.js: run `npm run build` first').toBe(true);
    const replay = spawnSync(process.execPath, [CLI, 'simulate', '--script', file], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(replay.stdout).toContain('1 passed, 0 failed');
    expect(replay.status).toBe(0);

    // A mismatch is a failure there too (the export is a real test).
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, readFileSync(file, 'utf8').replace('verdict: instant', 'verdict: not-eligible'));
    const failing = spawnSync(process.execPath, [CLI, 'simulate', '--script', broken], { encoding: 'utf8' });
    expect(failing.status).toBe(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it('loads the exported script and plays it, checking each expectation', async () => {
    const file = join(work, 'exported.yaml');
    await page.getByTestId('replay-delay').selectOption('0');
    await page.getByTestId('load-script').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('replay-status').textContent(), { timeout: 30_000 })
      .toMatch(/回放通过|Replay passed/);
    const steps = ScriptSchema.parse(parseYaml(readFileSync(file, 'utf8'))).steps.length;
    expect(await page.locator('[data-testid="step-pass"]').count()).toBe(steps);
    expect(await page.locator('[data-testid="step-fail"]').count()).toBe(0);
    expect(await page.getByTestId('asof-value').textContent()).toBe(AS_OF);
    await page.screenshot({ path: artifact('web-simulator-replay.png') });

    // A script whose expectation does not hold: the page shows which one, and says it failed.
    const source = readFileSync(file, 'utf8').replace('question: education', 'question: educationMode');
    await page.evaluate(
      (text) =>
        (globalThis as unknown as { luohu: { play(source: string): Promise<void> } }).luohu.play(text),
      source,
    );
    await expect
      .poll(() => page.getByTestId('replay-status').textContent(), { timeout: 30_000 })
      .toMatch(/回放失败|Replay failed/);
    expect(await page.locator('[data-testid="step-fail"]').count()).toBe(1);
    expect(await page.locator('.step.failed').textContent()).toContain('"educationMode"');

    // The page's own chrome switches language; the consultation text stays the server's.
    await page.getByTestId('ui-lang').click();
    expect(await page.getByTestId('tab-transcript').textContent()).toBe('Transcript');
    await page.getByTestId('ui-lang').click();
    expect(await page.getByTestId('tab-transcript').textContent()).toBe('记录');
    expect(errors).toEqual([]);
  }, 120_000);

  it('says which fields of a broken script are wrong', async () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, 'name: bad\nasOf: 28/11/2026\nsteps: []\n');
    await page.getByTestId('load-script').setInputFiles(file);
    await expect.poll(() => page.locator('.lh-system.lh-error').last().textContent()).toContain('asOf');
    expect(await page.locator('.lh-system.lh-error').last().textContent()).toContain('steps');
  }, 60_000);
});
