/**
 * The shape of a policy edition: everything the evaluator needs, as dated data with its source.
 *
 * Modelled on OpenFisca's parameters: each threshold is a value with the date it applies from and
 * the clause it comes from. The evaluator (`evaluate.ts`) receives an edition as an argument and
 * imports no numbers of its own, so a new edition is a new data file and nothing else.
 *
 * Clause ids (`ClauseId`) are stable keys; `locales/` turns them into citations people can read.
 */
import type { IsoDate } from './dates.js';
import type { BooleanField, EducationLevel, OverseasDegree, Profile, SkillLevel } from './profile.js';

/** A stable id of a clause in a source document (or of one of Luohu's stated interpretations). */
export type ClauseId = string;

/** Where a rule comes from and the day it applies from. */
export interface Citation {
  readonly clause: ClauseId;
  readonly since: IsoDate;
}

/** One threshold of the policy: its value, the clause it comes from, and the day it applies from. */
export interface Threshold<T> extends Citation {
  readonly value: T;
}

/**
 * How "N周岁以下" is read.
 * - `exclusive`: has not yet reached the Nth birthday (the Nth birthday is the first day out).
 * - `inclusive`: still N full years old (the (N+1)th birthday is the first day out).
 */
export type AgeReading = 'exclusive' | 'inclusive';

/** One condition of a route. The ids are the contract's `unmet` ids. */
export type ConditionRule =
  | ({ readonly id: 'certificate' } & Citation)
  | { readonly id: 'education'; readonly atLeast: Threshold<Exclude<EducationLevel, 'none'>> }
  | { readonly id: 'education-mode'; readonly required: Threshold<'regular'> }
  | {
      readonly id: 'overseas';
      readonly degreeAtLeast: Threshold<Exclude<OverseasDegree, 'none'>>;
      /** Years abroad as a visiting scholar, postdoc or researcher that also qualify. */
      readonly scholarYears: Threshold<number>;
    }
  | { readonly id: 'skill'; readonly atLeast: Threshold<Exclude<SkillLevel, 'none'>> }
  | ({ readonly id: 'catalog' } & Citation)
  | ({ readonly id: 'level-test' } & Citation)
  | { readonly id: 'social-insurance'; readonly minMonths: Threshold<number> }
  | { readonly id: 'age'; readonly under: Threshold<number> };

/** The ids a condition can have: the contract's `unmet` vocabulary. */
export type ConditionId = ConditionRule['id'];

/** A route to settlement; routes are tried in the edition's order (least paperwork first). */
export interface RouteRule extends Citation {
  readonly id: string;
  /** Conditions in the order their failures are listed in `unmet`. */
  readonly conditions: readonly ConditionRule[];
}

/**
 * When a step, a material or a note applies. Every key given must hold (an empty object: always).
 * `profile` lists, per field, the values for which it applies.
 */
export interface When {
  readonly profile?: { readonly [K in keyof Profile]?: readonly NonNullable<Profile[K]>[] };
  readonly route?: readonly string[];
  readonly verdict?: readonly ('instant' | 'window-review')[];
  readonly settlement?: readonly string[];
}

/** A settlement option; options are listed and recommended in the edition's order. */
export interface SettlementRule extends Citation {
  readonly id: string;
  /** The profile field that makes it fit, or `fallback` when it fits only if no earlier option does. */
  readonly fitsWhen: BooleanField | 'fallback';
  /** Ids of what speaks for and against it, rendered by `locales/`. */
  readonly pros: readonly string[];
  readonly cons: readonly string[];
}

/** A step of the application process, or a material to prepare, and when it applies. */
export interface ItemRule extends Citation {
  readonly id: string;
  readonly when?: When;
}

/** An interpretation the edition applies where the text is unclear; stated to people as it is. */
export interface Interpretation extends Citation {
  readonly id: string;
}

/** A policy edition: one consistent reading of the rules in force from `effective`. */
export interface Edition {
  /** Public id, e.g. `shenzhen-2019` (the contract's `policy`). */
  readonly id: string;
  /** Clause id of the document this edition is based on. */
  readonly source: ClauseId;
  readonly issued: IsoDate;
  readonly effective: IsoDate;
  readonly ageReading: Threshold<AgeReading>;
  /** A route's age limit within this many days raises the `age-limit-soon` warning. */
  readonly ageLimitWarningDays: Threshold<number>;
  /** A high credit risk sends the case to a service window instead of instant approval. */
  readonly creditReview: Citation;
  /** Who may submit an application (individuals cannot apply alone). */
  readonly submitters: Citation;
  readonly routes: readonly RouteRule[];
  readonly settlement: readonly SettlementRule[];
  readonly steps: readonly ItemRule[];
  readonly materials: readonly ItemRule[];
  /** Notes attached to the advice when their condition holds (e.g. a friend's household may be refused). */
  readonly notes: readonly ItemRule[];
  readonly interpretations: readonly Interpretation[];
  /** Later developments people should know about (ids), e.g. a draft that was not enacted. */
  readonly laterChanges: readonly Citation[];
}
