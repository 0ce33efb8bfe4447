/**
 * Which question to ask next: the first one, in catalogue order, whose answer can still change the
 * decision. Derived from the edition's routes, so a new edition changes what is asked without code:
 *
 * - Eligibility questions are asked while no route is met, and only for a field that a still-open
 *   route depends on: a route whose every failed condition reads at least one unanswered field.
 *   (A route failed on age, or on an answered field, cannot be opened by asking more.)
 * - A field the contract requires (the degree's mode, once there is a degree) is always asked.
 * - Case questions (credit, settlement, hukou province) are asked only once a route is met; the
 *   settlement options only until one fits, since the first that fits is the recommendation.
 */
import { checkRoutes, type Edition, type Profile, type RouteCheck } from '../rules/index.js';
import { CONDITION_FIELDS, QUESTIONS, type QuestionId } from './questions.js';

/** The answers given so far, by question id. */
export type Answers = { readonly [K in QuestionId]?: Profile[K] };

/**
 * The profile the answers describe, with every unanswered field at its least favourable value
 * (no, none, 0; a degree of unknown mode counts as non-regular). Needs `birthDate` and `education`.
 */
export function profileFrom(answers: Answers): Profile {
  const { birthDate, education } = answers;
  if (birthDate === undefined || education === undefined)
    throw new RangeError('birthDate and education come first');
  return {
    birthDate,
    education,
    ...(education !== 'none' ? { educationMode: answers.educationMode ?? 'non-regular' } : {}),
    overseasDegree: answers.overseasDegree ?? 'none',
    overseasScholar: answers.overseasScholar ?? false,
    highLevelTalent: answers.highLevelTalent ?? false,
    skill: answers.skill ?? 'none',
    skillInCatalog: answers.skillInCatalog ?? false,
    skillObtainedInShenzhen: answers.skillObtainedInShenzhen ?? false,
    skillLevelTestPassed: answers.skillLevelTestPassed ?? false,
    socialInsuranceMonths: answers.socialInsuranceMonths ?? 0,
    creditHighRisk: answers.creditHighRisk ?? false,
    ownsProperty: answers.ownsProperty ?? false,
    relativeHost: answers.relativeHost ?? false,
    employerCollective: answers.employerCollective ?? false,
    talentCentre: answers.talentCentre ?? false,
    guangdongHukou: answers.guangdongHukou ?? false,
  };
}

/** Fields that could still open a route not yet met, given the routes on the answers so far. */
function openingFields(
  routes: readonly RouteCheck[],
  answered: (id: QuestionId) => boolean,
): Set<QuestionId> {
  const fields = new Set<QuestionId>();
  for (const route of routes) {
    if (route.met) continue;
    const perCondition = route.unmet.map((c) => CONDITION_FIELDS[c].filter((f) => !answered(f)));
    if (perCondition.every((unanswered) => unanswered.length > 0))
      for (const f of perCondition.flat()) fields.add(f);
  }
  return fields;
}

/** Options of {@link nextQuestion}. */
export interface RelevanceOptions {
  readonly asOf: string;
  readonly edition: Edition;
}

/** The next question to ask, or `null` when the decision is sound and the result can be shown. */
export function nextQuestion(answers: Answers, options: RelevanceOptions): QuestionId | null {
  if (answers.birthDate === undefined) return 'birthDate';
  if (answers.education === undefined) return 'education';
  const answered = (id: QuestionId) => answers[id] !== undefined;
  const routes = checkRoutes(profileFrom(answers), options);
  const eligible = routes.some((r) => r.met);
  const settlementFields = options.edition.settlement.flatMap((o) =>
    o.fitsWhen === 'fallback' ? [] : [o.fitsWhen],
  );
  const settled = settlementFields.some((f) => answers[f] === true);
  const opening = eligible ? new Set<QuestionId>() : openingFields(routes, answered);

  for (const question of QUESTIONS) {
    if (answered(question.id)) continue;
    if (question.requiredWhen?.(answers)) return question.id;
    if (question.stage === 'eligibility') {
      if (opening.has(question.id)) return question.id;
    } else if (eligible && !(settled && (settlementFields as readonly string[]).includes(question.id))) {
      return question.id;
    }
  }
  return null;
}
