/**
 * A walker over the consultation machine: from consent, every question is branched over
 * representative and boundary answers, giving the set of paths a person can take to a result.
 */

import { mulberry32 } from '../../bench/profiles.js';
import { startConversation, stepConversation } from '../../machines/conversation.js';
import type { ConsultationEvent } from '../../machines/events.js';
import { type QuestionId, questionOf } from '../../machines/questions.js';
import type { View } from '../../machines/view.js';
import { type ConsultationSnapshot, viewOf } from '../../machines/views.js';
import { addDays, anniversary, formatIsoDate, parseIsoDate } from '../../rules/index.js';

/** One path: the events sent, the final snapshot and its view (the result). */
export interface Path {
  readonly events: readonly ConsultationEvent[];
  readonly final: ConsultationSnapshot;
  readonly view: View;
}

/** Birth dates on either side of each age limit (35, 40, 45) on `asOf`, plus a young and an old one. */
export function boundaryBirthDates(asOf: string): string[] {
  const on = parseIsoDate(asOf);
  if (!on) throw new RangeError(asOf);
  const bornYearsAgo = (years: number, shift: number) =>
    formatIsoDate(addDays(anniversary(on, -years), shift));
  // Born exactly N years ago: turns N today (out). One day later: the day before the Nth birthday (in).
  return [
    bornYearsAgo(28, 0),
    ...[35, 40, 45].flatMap((n) => [bornYearsAgo(n, 1), bornYearsAgo(n, 0)]),
    bornYearsAgo(50, 0),
  ];
}

/** The answers tried for a question. */
export function branches(question: QuestionId, asOf: string): ConsultationEvent[] {
  const q = questionOf(question);
  const unknown: ConsultationEvent[] = q.ifUnknown !== undefined ? [{ type: 'CHOOSE', id: 'unknown' }] : [];
  switch (q.kind.type) {
    case 'date':
      return boundaryBirthDates(asOf).map((text) => ({ type: 'TEXT', text }));
    case 'months':
      return [...['0', '35', '36'].map((text): ConsultationEvent => ({ type: 'TEXT', text })), ...unknown];
    case 'yes-no':
      return [{ type: 'CHOOSE', id: 'yes' }, { type: 'CHOOSE', id: 'no' }, ...unknown];
    case 'choice':
      return [...q.kind.options.map((id): ConsultationEvent => ({ type: 'CHOOSE', id })), ...unknown];
  }
}

/**
 * Walks every path from consent to a result, depth first, calling `visitView` for each view on the
 * way and `visitEnd` at each result. Nothing is kept, so large walks run in constant memory.
 * `limit` caps the number of paths; the walk is deterministic. Returns the number of paths.
 */
export function walk(
  asOf: string,
  visitEnd: (path: Path) => void,
  visitView: (view: View) => void = () => {},
  options: { readonly limit?: number; readonly fullCaseStage?: boolean } = {},
): number {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const random = mulberry32(7);
  let count = 0;
  const first = startConversation({ asOf });
  visitView(viewOf(first));
  const visit = (snapshot: ConsultationSnapshot, events: ConsultationEvent[]) => {
    if (count >= limit) return;
    const view = viewOf(snapshot);
    visitView(view);
    if (view.kind !== 'question') {
      count++;
      visitEnd({ events, final: snapshot, view });
      return;
    }
    const question = view.question as QuestionId;
    const all = branches(question, asOf);
    // The case questions (credit, settlement, hukou) do not change what else is asked, so unless
    // asked for, each path takes one of their answers in turn instead of every combination.
    const tried =
      options.fullCaseStage || questionOf(question).stage === 'eligibility'
        ? all
        : [all[Math.floor(random() * all.length)]];
    for (const event of tried) {
      if (event) visit(stepConversation(snapshot, event), [...events, event]);
    }
  };
  visit(stepConversation(first, { type: 'CHOOSE', id: 'agree' }), [{ type: 'CHOOSE', id: 'agree' }]);
  return count;
}
