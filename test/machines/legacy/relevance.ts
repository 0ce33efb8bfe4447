// Frozen copy of machines/relevance.ts before the second round of performance work (issue 5): the
// reference the relevance equivalence test compares with. Do not change.
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

import { CONDITION_FIELDS, QUESTIONS, type QuestionId } from '../../../machines/questions.js';
import { checkRoutes, type Edition, type Profile, type RouteCheck } from '../../../rules/index.js';

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
  // Two literals rather than a conditional spread: one shape each, built without copying.
  if (education === 'none')
    return {
      birthDate,
      education,
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
  return {
    birthDate,
    education,
    educationMode: answers.educationMode ?? 'non-regular',
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
function openingFields(routes: readonly RouteCheck[], answers: Answers): Set<QuestionId> {
  const fields = new Set<QuestionId>();
  for (const route of routes) {
    if (route.met) continue;
    // Open when every failed condition reads at least one unanswered field.
    let open = true;
    for (const c of route.unmet) {
      let unanswered = false;
      for (const f of CONDITION_FIELDS[c])
        if (answers[f] === undefined) {
          unanswered = true;
          break;
        }
      if (!unanswered) {
        open = false;
        break;
      }
    }
    if (!open) continue;
    for (const c of route.unmet)
      for (const f of CONDITION_FIELDS[c]) if (answers[f] === undefined) fields.add(f);
  }
  return fields;
}

/** The settlement options' fields of an edition (not the fallback), computed once per edition. */
const settlementFieldsOf = new WeakMap<Edition, readonly QuestionId[]>();
function settlementFields(edition: Edition): readonly QuestionId[] {
  let fields = settlementFieldsOf.get(edition);
  if (!fields) {
    fields = edition.settlement.flatMap((o) => (o.fitsWhen === 'fallback' ? [] : [o.fitsWhen]));
    settlementFieldsOf.set(edition, fields);
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
  const routes = checkRoutes(profileFrom(answers), options);
  let eligible = false;
  for (const r of routes)
    if (r.met) {
      eligible = true;
      break;
    }
  const fields = settlementFields(options.edition);
  let settled = false;
  for (const f of fields)
    if (answers[f] === true) {
      settled = true;
      break;
    }
  const opening = eligible ? undefined : openingFields(routes, answers);

  for (const question of QUESTIONS) {
    if (answers[question.id] !== undefined) continue;
    if (question.requiredWhen?.(answers)) return question.id;
    if (question.stage === 'eligibility') {
      if (opening?.has(question.id)) return question.id;
    } else if (eligible && !(settled && fields.includes(question.id))) {
      return question.id;
    }
  }
  return null;
}
