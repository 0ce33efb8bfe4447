/**
 * Edition `shenzhen-2019`: Shenzhen's in-service talent introduction and settlement "秒批" work plan
 * (《在职人才引进和落户"秒批"工作方案》), issued by the city government's general office on
 * 2019-01-27, trial run 2019-02-21 to 2019-02-27, in force from 2019-02-28.
 *
 * Clause ids name the plan's parts: `scope` is 改革内容 一、适用对象, `settlement` is 三、落户办理方式,
 * `credit` is 四、信用监管, `guide` is the 办事指南 (办理方式, 详细流程, 所需材料). Ids starting with
 * `luohu/` are Luohu's own stated interpretations, each explained to people in `locales/`.
 */
import type { Citation, Edition, Threshold } from '../edition.js';

const SINCE = '2019-02-28';

/** A citation of the 2019 plan. */
const plan = (clause: string): Citation => ({ clause: `plan-2019/${clause}`, since: SINCE });
/** A threshold from the 2019 plan. */
const value = <T>(v: T, clause: string): Threshold<T> => ({ value: v, ...plan(clause) });
/** A reading Luohu applies where the plan is unclear, cited as Luohu's own. */
const ours = (clause: string): Citation => ({ clause: `luohu/${clause}`, since: SINCE });
/** A value Luohu chose where the plan is unclear. */
const reading = <T>(v: T, clause: string): Threshold<T> => ({ value: v, ...ours(clause) });

const SKILL_ROUTES = ['skill-senior-technician', 'skill-technician', 'skill-senior-worker'];

export const shenzhen2019: Edition = {
  id: 'shenzhen-2019',
  source: 'plan-2019',
  issued: '2019-01-27',
  effective: SINCE,
  ageReading: reading('exclusive', 'age-boundary'),
  ageLimitWarningDays: reading(90, 'age-limit-warning'),
  creditReview: plan('credit'),
  submitters: plan('guide/how'),

  routes: [
    {
      id: 'high-level-talent',
      ...plan('scope/high-level'),
      conditions: [{ id: 'certificate', ...plan('scope/high-level') }],
    },
    {
      id: 'degree-bachelor',
      ...plan('scope/degree-1'),
      conditions: [
        { id: 'education', atLeast: value('bachelor', 'scope/degree-1') },
        { id: 'education-mode', required: value('regular', 'scope/degree-1') },
        { id: 'age', under: value(45, 'scope/degree-1') },
      ],
    },
    {
      id: 'overseas-returnee',
      ...plan('scope/overseas'),
      conditions: [
        {
          id: 'overseas',
          degreeAtLeast: value('bachelor', 'scope/overseas'),
          scholarYears: value(1, 'scope/overseas'),
        },
        { id: 'age', under: value(45, 'scope/overseas') },
      ],
    },
    {
      id: 'degree-college',
      ...plan('scope/degree-2'),
      conditions: [
        { id: 'education', atLeast: value('college', 'scope/degree-2') },
        { id: 'education-mode', required: value('regular', 'scope/degree-2') },
        { id: 'age', under: value(35, 'scope/degree-2') },
      ],
    },
    {
      id: 'skill-senior-technician',
      ...plan('scope/skill-1'),
      conditions: [
        { id: 'skill', atLeast: value('senior-technician', 'scope/skill-1') },
        { id: 'catalog', ...plan('scope/skill-note-1') },
        { id: 'level-test', ...plan('scope/skill-note-2') },
        { id: 'age', under: value(45, 'scope/skill-1') },
      ],
    },
    {
      id: 'skill-technician',
      ...plan('scope/skill-2'),
      conditions: [
        { id: 'skill', atLeast: value('technician', 'scope/skill-2') },
        { id: 'catalog', ...plan('scope/skill-note-1') },
        { id: 'level-test', ...plan('scope/skill-note-2') },
        { id: 'age', under: value(40, 'scope/skill-2') },
      ],
    },
    {
      id: 'skill-senior-worker',
      ...plan('scope/skill-3'),
      conditions: [
        { id: 'skill', atLeast: value('senior-worker', 'scope/skill-3') },
        { id: 'catalog', ...plan('scope/skill-note-1') },
        { id: 'level-test', ...plan('scope/skill-note-2') },
        { id: 'social-insurance', minMonths: value(36, 'scope/skill-3') },
        { id: 'age', under: value(35, 'scope/skill-3') },
      ],
    },
  ],

  settlement: [
    {
      id: 'own-property',
      fitsWhen: 'ownsProperty',
      ...plan('settlement/1'),
      pros: ['family-household', 'family-base', 'schooling'],
      cons: [],
    },
    {
      id: 'relative',
      fitsWhen: 'relativeHost',
      ...plan('settlement/2'),
      pros: ['family-household', 'no-job-tie'],
      cons: ['host-consent', 'friend-uncertain'],
    },
    {
      id: 'employer-collective',
      fitsWhen: 'employerCollective',
      ...plan('settlement/3'),
      pros: ['simple'],
      cons: ['no-booklet', 'job-tie', 'card-with-employer', 'schooling-weaker'],
    },
    {
      id: 'talent-centre',
      fitsWhen: 'talentCentre',
      ...plan('settlement/4'),
      pros: ['no-job-tie'],
      cons: ['no-booklet', 'schooling-weaker', 'talent-account'],
    },
    {
      id: 'police-managed',
      fitsWhen: 'fallback',
      ...plan('settlement/5'),
      pros: ['always-available', 'no-proof-needed'],
      cons: ['temporary', 'no-booklet', 'schooling-weaker'],
    },
  ],

  steps: [
    { id: 'choose-submitter', ...plan('guide/how') },
    { id: 'online-assessment', ...plan('guide/process-1') },
    { id: 'unit-review', ...plan('guide/process-2') },
    { id: 'upload-materials', ...plan('guide/process-3') },
    { id: 'health-check', ...plan('guide/health-check') },
    { id: 'approval-sms', ...plan('guide/process-4'), when: { verdict: ['instant'] } },
    { id: 'window-review', ...plan('credit'), when: { verdict: ['window-review'] } },
    { id: 'move-in-permit', ...plan('guide/process-5'), when: { profile: { guangdongHukou: [false] } } },
    {
      id: 'migration-certificate',
      ...plan('guide/process-6'),
      when: { profile: { guangdongHukou: [false] } },
    },
    { id: 'one-stop-wait', ...plan('guide/process-note-1'), when: { profile: { guangdongHukou: [true] } } },
    { id: 'police-registration', ...plan('guide/process-7') },
  ],

  materials: [
    { id: 'report-form', ...plan('guide/materials-1') },
    {
      id: 'chsi-record',
      ...plan('guide/materials-2'),
      when: { route: ['degree-bachelor', 'degree-college'] },
    },
    {
      id: 'overseas-degree-certification',
      ...plan('guide/materials-2'),
      when: {
        route: ['overseas-returnee'],
        profile: { overseasDegree: ['bachelor', 'master', 'doctorate'] },
      },
    },
    {
      id: 'scholar-proof',
      ...plan('scope/overseas'),
      when: { route: ['overseas-returnee'], profile: { overseasDegree: ['none'] } },
    },
    { id: 'high-level-certificate', ...plan('scope/high-level'), when: { route: ['high-level-talent'] } },
    { id: 'skill-certificate', ...plan('guide/materials-3'), when: { route: SKILL_ROUTES } },
    {
      id: 'level-test-result',
      ...plan('scope/skill-note-2'),
      when: { route: SKILL_ROUTES, profile: { skillObtainedInShenzhen: [false] } },
    },
    { id: 'social-insurance-record', ...plan('scope/skill-3'), when: { route: ['skill-senior-worker'] } },
    { id: 'hukou-and-id', ...plan('guide/materials-6') },
    { id: 'property-certificate', ...plan('settlement/1'), when: { settlement: ['own-property'] } },
    { id: 'host-consent', ...plan('settlement/2'), when: { settlement: ['relative'] } },
    { id: 'collective-acceptance', ...plan('settlement/3'), when: { settlement: ['employer-collective'] } },
  ],

  notes: [
    { id: 'not-official', ...plan('scope') },
    { id: 'after-approval-checks', ...plan('after-checks'), when: { verdict: ['instant', 'window-review'] } },
    {
      id: 'party-transfer',
      ...plan('guide/process-note-2'),
      when: { verdict: ['instant', 'window-review'] },
    },
    {
      id: 'part-time-postgraduate',
      ...ours('part-time-postgraduate'),
      when: { route: ['degree-bachelor'], profile: { education: ['master', 'doctorate'] } },
    },
    {
      id: 'non-regular-points',
      ...ours('non-regular-points'),
      when: { profile: { educationMode: ['non-regular'] } },
    },
    { id: 'friend-household', ...ours('friend-household'), when: { settlement: ['relative'] } },
    { id: 'talent-account', ...ours('talent-account'), when: { settlement: ['talent-centre'] } },
  ],

  interpretations: [
    { id: 'age-boundary', ...ours('age-boundary') },
    { id: 'social-insurance-cumulative', ...ours('social-insurance-cumulative') },
  ],

  laterChanges: [{ clause: 'draft-2021', since: '2021-05-25' }],
};
