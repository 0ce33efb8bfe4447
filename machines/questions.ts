/**
 * The questions of the consultation, as data: which profile field each fills, how it is answered,
 * whether "I don't know" is accepted and what is then assumed. Asked in this order, each only when
 * it can still change the decision (see `relevance.ts`). Sentences: `question.<id>.*` in `locales/`.
 */
import {
  type ConditionId,
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  OVERSEAS_DEGREES,
  type Profile,
  SKILL_LEVELS,
} from '../rules/index.js';

/** The profile fields the dialogue asks about, in the order it asks them. */
export const QUESTION_IDS = [
  'birthDate',
  'education',
  'educationMode',
  'overseasDegree',
  'overseasScholar',
  'highLevelTalent',
  'skill',
  'skillInCatalog',
  'skillObtainedInShenzhen',
  'skillLevelTestPassed',
  'socialInsuranceMonths',
  'creditHighRisk',
  'ownsProperty',
  'relativeHost',
  'employerCollective',
  'talentCentre',
  'guangdongHukou',
] as const satisfies readonly (keyof Profile)[];

/** A question's id: the profile field it fills. */
export type QuestionId = (typeof QUESTION_IDS)[number];

/** An answer as stored: the value the profile field takes. */
export type AnswerValue = Profile[QuestionId];

/** How a question is answered. */
export type QuestionKind =
  | { readonly type: 'date' }
  | { readonly type: 'choice'; readonly options: readonly string[] }
  | { readonly type: 'yes-no' }
  | { readonly type: 'months' };

/** One question of the catalogue. */
export interface Question {
  readonly id: QuestionId;
  readonly kind: QuestionKind;
  /**
   * The value assumed when the person does not know, always the least favourable one, so that a
   * result never promises more than the facts support. Absent: "I don't know" is not accepted.
   */
  readonly ifUnknown?: AnswerValue;
  /** What the question settles: eligibility (asked while no route is met) or the case's details. */
  readonly stage: 'eligibility' | 'case';
  /**
   * When the contract requires the field whatever its effect (the degree's mode, once there is a
   * degree): then it is asked even if it cannot change the verdict, so the profile stays complete.
   */
  readonly requiredWhen?: (answers: { readonly education?: string }) => boolean;
}

const yesNo = { type: 'yes-no' } as const;

/** The catalogue, in asking order. */
export const QUESTIONS: readonly Question[] = [
  { id: 'birthDate', kind: { type: 'date' }, stage: 'eligibility' },
  { id: 'education', kind: { type: 'choice', options: EDUCATION_LEVELS }, stage: 'eligibility' },
  {
    id: 'educationMode',
    kind: { type: 'choice', options: EDUCATION_MODES },
    ifUnknown: 'non-regular',
    stage: 'eligibility',
    requiredWhen: (answers) => answers.education !== undefined && answers.education !== 'none',
  },
  { id: 'overseasDegree', kind: { type: 'choice', options: OVERSEAS_DEGREES }, stage: 'eligibility' },
  { id: 'overseasScholar', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  { id: 'highLevelTalent', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  { id: 'skill', kind: { type: 'choice', options: SKILL_LEVELS }, stage: 'eligibility' },
  { id: 'skillInCatalog', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  { id: 'skillObtainedInShenzhen', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  { id: 'skillLevelTestPassed', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  { id: 'socialInsuranceMonths', kind: { type: 'months' }, ifUnknown: 0, stage: 'eligibility' },
  { id: 'creditHighRisk', kind: yesNo, ifUnknown: true, stage: 'case' },
  { id: 'ownsProperty', kind: yesNo, ifUnknown: false, stage: 'case' },
  { id: 'relativeHost', kind: yesNo, ifUnknown: false, stage: 'case' },
  { id: 'employerCollective', kind: yesNo, ifUnknown: false, stage: 'case' },
  { id: 'talentCentre', kind: yesNo, ifUnknown: false, stage: 'case' },
  { id: 'guangdongHukou', kind: yesNo, ifUnknown: false, stage: 'case' },
];

/** The catalogue by id. */
export const QUESTION_BY_ID: ReadonlyMap<QuestionId, Question> = new Map(QUESTIONS.map((q) => [q.id, q]));

/** Looks a question up (every id of {@link QUESTION_IDS} has one). */
export function questionOf(id: QuestionId): Question {
  const question = QUESTION_BY_ID.get(id);
  if (!question) throw new RangeError(`no question ${id}`);
  return question;
}

/** The profile fields each route condition reads: a condition can change only by asking these. */
export const CONDITION_FIELDS: Readonly<Record<ConditionId, readonly QuestionId[]>> = {
  certificate: ['highLevelTalent'],
  education: ['education'],
  'education-mode': ['educationMode'],
  overseas: ['overseasDegree', 'overseasScholar'],
  skill: ['skill'],
  catalog: ['skillInCatalog'],
  'level-test': ['skillObtainedInShenzhen', 'skillLevelTestPassed'],
  'social-insurance': ['socialInsuranceMonths'],
  age: ['birthDate'],
};
