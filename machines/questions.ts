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
  /**
   * Words people type for an option besides its label (vocabulary for recognising input, in both
   * languages), e.g. 学士 for a bachelor's degree.
   */
  readonly synonyms?: Readonly<Record<string, readonly string[]>>;
  /** For a choice question asked as a yes/no question: the option a plain yes or no means. */
  readonly yesNo?: { readonly yes: string; readonly no: string };
}

const yesNo = { type: 'yes-no' } as const;

/** The catalogue, in asking order. */
export const QUESTIONS: readonly Question[] = [
  { id: 'birthDate', kind: { type: 'date' }, stage: 'eligibility' },
  {
    id: 'education',
    kind: { type: 'choice', options: EDUCATION_LEVELS },
    stage: 'eligibility',
    synonyms: {
      none: [
        '无',
        '没有',
        '中专',
        '高中',
        '初中',
        '小学',
        '技校',
        '职高',
        'none',
        'high school',
        'no degree',
      ],
      college: ['大专', '专科', '高职', 'college', 'associate', 'associate degree', 'junior college'],
      bachelor: [
        '本科',
        '学士',
        '大学本科',
        'bachelor',
        "bachelor's",
        'bachelors',
        'ba',
        'bsc',
        'undergraduate',
      ],
      master: ['硕士', '硕士研究生', 'master', "master's", 'masters', 'msc', 'ma', 'mba'],
      doctorate: ['博士', '博士研究生', 'doctorate', 'doctor', 'phd', 'ph.d', 'doctoral'],
    },
  },
  {
    id: 'educationMode',
    kind: { type: 'choice', options: EDUCATION_MODES },
    ifUnknown: 'non-regular',
    stage: 'eligibility',
    requiredWhen: (answers) => answers.education !== undefined && answers.education !== 'none',
    yesNo: { yes: 'regular', no: 'non-regular' },
    synonyms: {
      regular: [
        '统招',
        '是统招',
        '统招的',
        '全日制',
        '普通全日制',
        '普通高等教育',
        '统招专升本',
        'regular',
        'full-time',
        'full time',
        'gaokao',
      ],
      'non-regular': [
        '非统招',
        '成人高考',
        '成考',
        '成人教育',
        '函授',
        '夜大',
        '业余',
        '自考',
        '自学考试',
        '电大',
        '国家开放大学',
        '开放大学',
        '网络教育',
        '网教',
        '远程教育',
        'adult',
        'adult education',
        'self-study',
        'self study',
        'online',
        'open university',
        'correspondence',
        'part-time adult',
      ],
    },
  },
  {
    id: 'overseasDegree',
    kind: { type: 'choice', options: OVERSEAS_DEGREES },
    stage: 'eligibility',
    synonyms: {
      none: ['无', '没有', '没有留学', '没留过学', 'none', 'no', 'no degree abroad'],
      bachelor: ['学士', '本科', 'bachelor', "bachelor's", 'bachelors', 'ba', 'bsc'],
      master: ['硕士', 'master', "master's", 'masters', 'msc', 'ma', 'mba'],
      doctorate: ['博士', 'doctorate', 'phd', 'ph.d', 'doctoral'],
    },
  },
  { id: 'overseasScholar', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  { id: 'highLevelTalent', kind: yesNo, ifUnknown: false, stage: 'eligibility' },
  {
    id: 'skill',
    kind: { type: 'choice', options: SKILL_LEVELS },
    stage: 'eligibility',
    synonyms: {
      none: ['无', '没有', '没有证书', '没有职业资格', 'none', 'no certificate'],
      'senior-worker': ['高级工', '三级', '三级职业资格', 'senior worker', 'level 3'],
      technician: ['技师', '二级', '二级职业资格', 'technician', 'level 2'],
      'senior-technician': ['高级技师', '一级', '一级职业资格', 'senior technician', 'level 1'],
    },
  },
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

/** What a typed word can stand for in a choice question: the option ids with their synonyms. */
export function optionWords(question: Question, option: string): readonly string[] {
  return [option, ...(question.synonyms?.[option] ?? [])];
}
