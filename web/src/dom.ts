/** A tiny helper for building DOM trees without a framework. */

type Attrs = Readonly<Record<string, unknown>>;
type Child = Node | string | number | false | null | undefined;

/**
 * Creates an element: `h('button', { class: 'x', onclick }, 'Label')`. Attributes whose value is
 * `false`, `null` or `undefined` are left out; `true` sets an empty attribute. Functions given as
 * `on…` attributes become listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith('on') && typeof value === 'function')
      element.addEventListener(name.slice(2), value as EventListener);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping empty ones; strings become text nodes (never parsed as HTML). */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes every child of an element. */
export function clear(element: Element): void {
  element.replaceChildren();
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
