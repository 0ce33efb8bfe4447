/**
 * The public profile contract (`../shared/contract/check.md`): what a person tells Luohu, as the
 * dialogue fills it or an agency's system sends it. Field names and enum values are public API.
 */
import { z } from 'zod';

/** Highest mainland higher-education qualification (学历), lowest first. */
export const EDUCATION_LEVELS = ['none', 'college', 'bachelor', 'master', 'doctorate'] as const;
/** `regular` = 普通高等教育 (统招); `non-regular` = adult, self-study, open university, online. */
export const EDUCATION_MODES = ['regular', 'non-regular'] as const;
/** Highest degree earned abroad, lowest first. */
export const OVERSEAS_DEGREES = ['none', 'bachelor', 'master', 'doctorate'] as const;
/** Highest vocational qualification: 高级工, 技师, 高级技师, lowest first. */
export const SKILL_LEVELS = ['none', 'senior-worker', 'technician', 'senior-technician'] as const;

export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export type EducationMode = (typeof EDUCATION_MODES)[number];
export type OverseasDegree = (typeof OVERSEAS_DEGREES)[number];
export type SkillLevel = (typeof SKILL_LEVELS)[number];

/** The profile's yes/no fields, in the order the contract lists them. */
export const BOOLEAN_FIELDS = [
  'overseasScholar',
  'highLevelTalent',
  'skillInCatalog',
  'skillObtainedInShenzhen',
  'skillLevelTestPassed',
  'creditHighRisk',
  'ownsProperty',
  'relativeHost',
  'employerCollective',
  'talentCentre',
  'guangdongHukou',
] as const;
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];

const flag = z.boolean().default(false);

/**
 * Zod schema of a profile as it arrives: strict (unknown keys are errors), optional fields defaulted.
 * The checks that need the decision date (birth date not in the future, not over 100 years back)
 * are in `validate.ts`, because the schema alone does not know the date.
 */
export const ProfileSchema = z
  .strictObject({
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    education: z.enum(EDUCATION_LEVELS),
    educationMode: z.enum(EDUCATION_MODES).optional(),
    overseasDegree: z.enum(OVERSEAS_DEGREES).default('none'),
    overseasScholar: flag,
    highLevelTalent: flag,
    skill: z.enum(SKILL_LEVELS).default('none'),
    skillInCatalog: flag,
    skillObtainedInShenzhen: flag,
    skillLevelTestPassed: flag,
    socialInsuranceMonths: z.number().int().min(0).max(1200).default(0),
    creditHighRisk: flag,
    ownsProperty: flag,
    relativeHost: flag,
    employerCollective: flag,
    talentCentre: flag,
    guangdongHukou: flag,
  })
  .superRefine((profile, ctx) => {
    if (profile.education !== 'none' && profile.educationMode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['educationMode'], params: { luohu: 'education-mode-required' } });
    }
  });

/** A profile as received (optional fields may be missing). */
export type ProfileInput = z.input<typeof ProfileSchema>;
/** A validated profile with every default filled in. */
export type Profile = z.output<typeof ProfileSchema>;

/** Position of a value in its ordered scale, for "at least" comparisons. */
export function rankOf<T extends string>(scale: readonly T[], value: T): number {
  return scale.indexOf(value);
}
