/**
 * A person who knows their whole profile answers the consultation truthfully, question by question.
 * Used to measure how many questions it takes to reach a decision, and to check that skipping
 * questions never changes the verdict.
 */
import { startConversation, stepConversation } from '../machines/conversation.js';
import type { ConsultationEvent } from '../machines/events.js';
import { type QuestionId, questionOf } from '../machines/questions.js';
import { viewOf } from '../machines/views.js';
import type { Decision, Profile } from '../rules/index.js';

/** The outcome of one simulated consultation. */
export interface Consultation {
  readonly questions: readonly QuestionId[];
  readonly decision: Decision;
}

/** The event that answers `question` with the profile's value, as a person would type or tap it. */
export function answerEvent(question: QuestionId, profile: Profile): ConsultationEvent {
  const value = profile[question];
  switch (questionOf(question).kind.type) {
    case 'date':
      return { type: 'TEXT', text: String(value) };
    case 'months':
      return { type: 'TEXT', text: `${value}个月` };
    case 'yes-no':
      return { type: 'CHOOSE', id: value ? 'yes' : 'no' };
    case 'choice':
      return { type: 'CHOOSE', id: String(value) };
  }
}

/** Runs a whole consultation for `profile` on `asOf`. */
export function consult(profile: Profile, asOf: string): Consultation {
  let snapshot = stepConversation(startConversation({ asOf }), { type: 'CHOOSE', id: 'agree' });
  const questions: QuestionId[] = [];
  for (let view = viewOf(snapshot); view.kind === 'question'; view = viewOf(snapshot)) {
    const question = view.question as QuestionId;
    if (questions.length > 40) throw new Error(`no end in sight: ${questions.join(',')}`);
    questions.push(question);
    snapshot = stepConversation(snapshot, answerEvent(question, profile));
  }
  const decision = viewOf(snapshot).decision;
  if (!decision) throw new Error('the consultation ended without a decision');
  return { questions, decision };
}
