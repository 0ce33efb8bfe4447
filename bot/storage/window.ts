/**
 * The recent update ids of a conversation, kept in the conversation's own record so that recording
 * an update costs no second write (see `ConversationStore.commit`).
 *
 * Encoded as a small JSON object, one entry per bot: `{"telegram:42":[at, id, id, …]}`, where `at`
 * is when the newest id was recorded (ms since the epoch) and the ids ascend, at most
 * {@link UPDATE_WINDOW} of them. Deciding from it relies on how Telegram delivers updates:
 * update ids increase, one chat's updates are handled in order (`perChat` in the grammY bot, the
 * webhook's per-chat queue), and a redelivery is of an update already handled or of one whose
 * handling failed (never recorded). Telegram keeps an update for at most 24 hours, and after a week
 * without updates it may restart its ids lower (at random): so an id below a full window counts as
 * seen only while the window is younger than {@link WINDOW_TRUST_MS}.
 */

/** How many recent update ids a conversation keeps per bot. */
export const UPDATE_WINDOW = 16;

/**
 * How long after its newest id a full window vouches for older ids (ms): Telegram redelivers an
 * update for at most 24 hours, and restarts its ids only after a week without updates.
 */
export const WINDOW_TRUST_MS = 24 * 60 * 60 * 1000;

/** A decoded window: bot → `[at, ...ids]`. */
export type UpdateWindow = Readonly<Record<string, readonly number[]>>;

/** Decodes a stored window; anything unreadable reads as empty (the ids are then looked up elsewhere). */
export function parseWindow(raw: string | null | undefined): UpdateWindow {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const out: Record<string, readonly number[]> = {};
    for (const [bot, list] of Object.entries(value as Record<string, unknown>))
      if (Array.isArray(list) && list.length >= 2 && list.every((n) => Number.isSafeInteger(n)))
        out[bot] = list as number[];
    return out;
  } catch {
    return {};
  }
}

/**
 * Whether the window shows `id` of `bot` as already recorded: `'yes'`, `'no'` (newer than every id
 * recorded for the bot), or `'unsure'` (no ids for the bot, or an id between recorded ones or below a
 * window too small or too old to vouch for it): then the caller looks in its other records
 * (updates that changed no conversation, erasures, and records migrated from older databases).
 */
export function windowHas(
  window: UpdateWindow,
  bot: string,
  id: number,
  nowMs: number,
): 'yes' | 'no' | 'unsure' {
  const list = window[bot];
  if (list === undefined) return 'unsure';
  const last = list[list.length - 1] as number;
  if (id > last) return 'no';
  for (let i = list.length - 1; i >= 1; i--) if (list[i] === id) return 'yes';
  const at = list[0] as number;
  if (list.length - 1 >= UPDATE_WINDOW && id < (list[1] as number) && nowMs - at < WINDOW_TRUST_MS)
    return 'yes';
  return 'unsure';
}

/** The window with `id` of `bot` recorded at `nowMs` (the oldest id dropped beyond {@link UPDATE_WINDOW}). */
export function pushWindow(window: UpdateWindow, bot: string, id: number, nowMs: number): UpdateWindow {
  const list = window[bot];
  let ids: number[];
  if (list === undefined) ids = [id];
  else if (id > (list[list.length - 1] as number)) {
    // In order (the rule): the newest ids kept, then this one, in one new list.
    const out = [nowMs];
    for (let i = Math.max(1, list.length - UPDATE_WINDOW + 1); i < list.length; i++)
      out.push(list[i] as number);
    out.push(id);
    return { ...window, [bot]: out };
  } else {
    ids = list.slice(1);
    // In order as a rule; an out-of-order id (a failed update redelivered late) is put in its place.
    let i = ids.length;
    while (i > 0 && (ids[i - 1] as number) > id) i--;
    ids.splice(i, 0, id);
    if (ids.length > UPDATE_WINDOW) ids.splice(0, ids.length - UPDATE_WINDOW);
  }
  return { ...window, [bot]: [nowMs, ...ids] };
}

/** The stored form of a window. */
export function formatWindow(window: UpdateWindow): string {
  return JSON.stringify(window);
}

/** A window with its stored form. */
export interface FormattedWindow {
  readonly window: UpdateWindow;
  /** `formatWindow(window)`. */
  readonly raw: string;
}

/**
 * `pushWindow`, and the stored form of the result, at once, for a store that keeps the stored form
 * `raw` of `window`. The usual push (a conversation of one bot, a newer id, a window not longer than
 * {@link UPDATE_WINDOW}) reuses the stored ids: only the time and the new id are written out. The
 * result is always a stored form of the new window, and the very string `formatWindow` gives when
 * `raw` is `formatWindow(window)`, as the store writes it (`test/bot/storage/window.test.ts`).
 */
export function pushFormatted(
  window: UpdateWindow,
  raw: string,
  bot: string,
  id: number,
  nowMs: number,
): FormattedWindow {
  const next = pushWindow(window, bot, id, nowMs);
  const list = window[bot];
  let alone = list !== undefined && Number.isSafeInteger(nowMs) && Number.isSafeInteger(id);
  for (const other in window) if (other !== bot) alone = false;
  if (alone) {
    const ids = (list as readonly number[]).length - 1;
    const head = `{${JSON.stringify(bot)}:[`;
    // `{"bot":[at,id,…,id]}`, with one `]`: the ids kept are a tail of the stored ones.
    if (
      id > ((list as readonly number[])[ids] as number) &&
      ids >= 1 &&
      ids <= UPDATE_WINDOW &&
      raw.startsWith(head) &&
      raw.indexOf(']') === raw.length - 2 &&
      raw.endsWith(']}')
    ) {
      let from = raw.indexOf(',', head.length);
      // Full: the oldest id goes.
      if (from > 0 && ids === UPDATE_WINDOW) from = raw.indexOf(',', from + 1);
      if (from > 0) return { window: next, raw: `${head}${nowMs}${raw.slice(from, -2)},${id}]}` };
    }
  }
  return { window: next, raw: formatWindow(next) };
}
