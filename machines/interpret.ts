/**
 * What a typed message means in the current view: a command, one of the view's choices (by number,
 * id or label in any language), or free text for the current question to parse.
 * Channels call this with the labels they rendered; the machine then receives a plain event.
 */
import { parseChoice } from './answers/choice.js';
import { parseCommand } from './answers/commands.js';
import { parseYesNo } from './answers/yes-no.js';
import type { ConsultationEvent } from './events.js';
import { optionWords, QUESTION_IDS, type Question, type QuestionId, questionOf } from './questions.js';
import type { Choice, View } from './view.js';

/** The rendered labels of a choice, in every language the bot speaks. */
export type LabelsOf = (choice: Choice) => readonly string[];

const isQuestionId = (id: string | undefined): id is QuestionId =>
  id !== undefined && (QUESTION_IDS as readonly string[]).includes(id);

/**
 * The choices of a view as `parseChoice` reads them (labels in every language, then synonyms), kept
 * per choices array and `labelsOf`: views share the choices of a question, and `labelsOf` gives the
 * same labels for the same choice every time (its results are cached here).
 */
const prepared = new WeakMap<
  readonly Choice[],
  WeakMap<LabelsOf, { readonly question: Question | undefined; readonly choices: ParsedChoice[] }>
>();

type ParsedChoice = { readonly id: string; readonly labels: readonly string[] };

function choicesOf(view: View, question: Question | undefined, labelsOf: LabelsOf): ParsedChoice[] {
  let byLabels = prepared.get(view.choices);
  if (!byLabels) {
    byLabels = new WeakMap();
    prepared.set(view.choices, byLabels);
  }
  const known = byLabels.get(labelsOf);
  if (known && known.question === question) return known.choices;
  const choices = view.choices.map((c) => ({
    id: c.id,
    labels: [...labelsOf(c), ...(question ? optionWords(question, c.id).slice(1) : [])],
  }));
  if (!known) byLabels.set(labelsOf, { question, choices });
  return choices;
}

/**
 * Turns a typed message into an event for the machine. `labelsOf` must give the same labels for the
 * same choice every time (they are remembered per view's choices).
 */
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
  const question =
    view.kind === 'question' && isQuestionId(view.question) ? questionOf(view.question) : undefined;
  const picked = parseChoice(typed, choicesOf(view, question, labelsOf));
  if (picked.ok && picked.value.kind === 'value') return { type: 'CHOOSE', id: picked.value.value };
  if (question?.yesNo) {
    const yes = parseYesNo(typed);
    if (yes.ok && yes.value.kind === 'value')
      return { type: 'CHOOSE', id: yes.value.value ? question.yesNo.yes : question.yesNo.no };
  }
  // The specific reason the text matched no option (a number out of range, two options at once).
  const problem = !picked.ok && picked.error.key !== 'answer.choice.unrecognised' ? picked.error : undefined;
  return { type: 'TEXT', text: typed, ...(problem ? { problem } : {}) };
}
