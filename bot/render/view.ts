/** A view as plain terminal text: the notice, the body, and the choices numbered for typing. */
import type { View } from '../../machines/view.js';
import type { Renderer } from '../i18n.js';
import { renderPlain } from './plain.js';

/** The text of a view without its choices (what `--jsonl` puts in `text`). */
export function viewText(view: View, renderer: Renderer): string {
  const parts: string[] = [];
  if (view.notice) parts.push(renderer.render(view.notice));
  if (view.blocks.length > 0) parts.push(renderPlain(view.blocks, renderer));
  return parts.join('\n');
}

/** The choices of a view as `[1] label` lines. */
export function choiceLines(view: View, renderer: Renderer): string[] {
  return view.choices.map((c, i) => `  [${i + 1}] ${renderer.render(c.label)}`);
}

/** A whole view for the terminal. */
export function renderViewPlain(view: View, renderer: Renderer): string {
  const choices = choiceLines(view, renderer);
  return [viewText(view, renderer), ...choices].filter((s) => s !== '').join('\n');
}
