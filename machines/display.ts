/** How a stored answer is shown back to the person, as a {@link Param} (no sentences here). */
import { type QuestionId, questionOf } from './questions.js';
import type { Param } from './view.js';

/** The label key of a choice question's option, or of yes/no/unknown. */
export function optionKey(question: QuestionId, option: string): string {
  if (option === 'yes' || option === 'no') return `choice.${option}`;
  if (option === 'unknown') return 'common.unknown';
  return `question.${question}.options.${option}`;
}

/** An answer as a parameter: an option's label, yes/no, a date, a number of months, or "not sure". */
export function answerParam(question: QuestionId, value: unknown, unknown = false): Param {
  if (unknown) return { t: 'common.unknown' };
  if (value === undefined) return { t: 'common.unanswered' };
  const { kind } = questionOf(question);
  switch (kind.type) {
    case 'date':
      return { date: String(value) };
    case 'months':
      return { t: 'common.monthCount', params: { count: Number(value) } };
    case 'yes-no':
      return { t: value ? 'common.yes' : 'common.no' };
    case 'choice':
      return { t: optionKey(question, String(value)) };
  }
}
