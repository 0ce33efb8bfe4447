/**
 * The JSON view: a channel-neutral {@link View} rendered in its language for programs and web pages.
 * What the HTTP API returns, and what `luohu simulate --jsonl` prints (a subset of it).
 */
import type { Block, View } from '../../machines/view.js';
import type { Brand } from '../config.js';
import type { Renderer } from '../i18n.js';
import { viewText } from '../render/view.js';
import type { JsonView } from './schemas.js';

/** Options of {@link jsonView}. */
export interface JsonViewOptions {
  /** The agency shown on result views (`brand` and a last line `brand.line`). */
  readonly brand?: Brand | null;
}

/** The line that names the agency and its contact, at the end of a result. */
export function brandBlock(brand: Brand): Block {
  return { kind: 'line', text: { key: 'brand.line', params: { name: brand.name, contact: brand.contact } } };
}

/**
 * The view rendered by `renderer`: the whole text (as the terminal shows it, without the choices),
 * each block's text, each choice's label, and on results the decision (and the agency, when set).
 */
export function jsonView(view: View, renderer: Renderer, options: JsonViewOptions = {}): JsonView {
  const brand = view.kind === 'result' ? (options.brand ?? undefined) : undefined;
  const shown: View = brand ? { ...view, blocks: [...view.blocks, brandBlock(brand)] } : view;
  return {
    kind: shown.kind,
    state: shown.state,
    ...(shown.question ? { question: shown.question } : {}),
    lang: shown.lang,
    ...(shown.notice ? { notice: renderer.render(shown.notice) } : {}),
    text: viewText(shown, renderer),
    blocks: shown.blocks.map((b) => ({
      kind: b.kind,
      ...(b.mark ? { mark: b.mark } : {}),
      ...(b.number !== undefined ? { number: b.number } : {}),
      text: renderer.render(b.text),
    })),
    choices: shown.choices.map((c) => ({ id: c.id, label: renderer.render(c.label) })),
    ...(shown.decision ? { decision: shown.decision } : {}),
    ...(brand ? { brand: { name: brand.name, contact: brand.contact } } : {}),
  };
}
