/**
 * What a typed message means in the current view: a command, one of the view's choices (by number,
 * id or label in any language), or free text for the current question to parse.
 * Channels call this with the labels they rendered; the machine then receives a plain event.
 */
import { parseChoice } from './answers/choice.js';
import { parseCommand } from './answers/commands.js';
import type { ConsultationEvent } from './events.js';
import { QUESTION_IDS, type QuestionId, questionOf } from './questions.js';
import type { Choice, View } from './view.js';

/** The rendered labels of a choice, in every language the bot speaks. */
export type LabelsOf = (choice: Choice) => readonly string[];

const isQuestionId = (id: string | undefined): id is QuestionId =>
  id !== undefined && (QUESTION_IDS as readonly string[]).includes(id);

/** Turns a typed message into an event for the machine. */
export function interpret(typed: string, view: View, labelsOf: LabelsOf): ConsultationEvent {
  const command = parseCommand(typed);
  if (command) return { type: 'COMMAND', ...command };
  if (view.choices.length === 0) return { type: 'TEXT', text: typed };
  // A date or a number of months is typed as a number: never read it as "option number N".
  const freeForm =
    view.kind === 'question' &&
    isQuestionId(view.question) &&
    ['date', 'months'].includes(questionOf(view.question).kind.type);
  if (freeForm && /^\s*[\d０-９]/.test(typed)) return { type: 'TEXT', text: typed };
  const picked = parseChoice(
    typed,
    view.choices.map((c) => ({ id: c.id, labels: labelsOf(c) })),
  );
  if (picked.ok && picked.value.kind === 'value') return { type: 'CHOOSE', id: picked.value.value };
  return { type: 'TEXT', text: typed };
}
