/**
 * The public decision contract (`../shared/contract/check.md`): what `luohu check --json`, the HTTP
 * API and the dialogue's result carry. Field names and ids are public API. The schema is the single
 * source of the TypeScript types below, and serves to document the API (OpenAPI) and to test output.
 */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The contract's `unmet` condition ids. */
export const CONDITION_IDS = [
  'certificate',
  'education',
  'education-mode',
  'overseas',
  'skill',
  'catalog',
  'level-test',
  'social-insurance',
  'age',
] as const;

/** `instant` (秒批), `window-review` (a person reviews at a service window), `not-eligible`. */
export const VERDICTS = ['instant', 'window-review', 'not-eligible'] as const;
export type Verdict = (typeof VERDICTS)[number];

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One condition of a route as it applied to this person. */
export const ConditionCheckSchema = z.object({
  id: z.enum(CONDITION_IDS),
  /** `null` when the condition does not apply (no degree, so no degree mode to check). */
  met: z.boolean().nullable(),
  /** What the person has: a level, a number of months, an age, yes/no. */
  value: scalar,
  /** What the rule asks for. */
  threshold: scalar,
  clause: z.string(),
  since: isoDate,
});
export type ConditionCheck = z.infer<typeof ConditionCheckSchema>;

/** The smallest change that would satisfy one failed condition, with what a sentence needs. */
export const ChangeSchema = z.object({
  id: z.string(),
  condition: z.enum(CONDITION_IDS),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type Change = z.infer<typeof ChangeSchema>;

/** Everything known about one route: each condition, and what would open it. */
export const RouteExplanationSchema = z.object({
  id: z.string(),
  clause: z.string(),
  met: z.boolean(),
  conditions: z.array(ConditionCheckSchema),
  changes: z.array(ChangeSchema),
  /** The first day the route is closed by age (the limit birthday); null without an age limit. */
  closedOn: isoDate.nullable(),
  /** False when it can no longer be met (closed by age, or missing time cannot be made up in time). */
  reachable: z.boolean(),
});
export type RouteExplanation = z.infer<typeof RouteExplanationSchema>;

/** The reasons behind the decision, for people and for integrations that show their own text. */
export const ExplanationSchema = z.object({
  ageReading: z.enum(['exclusive', 'inclusive']),
  ageReadingClause: z.string(),
  routes: z.array(RouteExplanationSchema),
  /** Last day at least one met route stays open by age; null when none is met or one has no limit. */
  deadline: isoDate.nullable(),
  /** Met routes that stay open longer than `route`, in order: they still hold once `route` closes. */
  alternatives: z.array(z.object({ id: z.string(), until: isoDate.nullable() })),
  /** Routes not met but still reachable, closest first (fewest and smallest changes). */
  closest: z.array(z.string()),
  /** Ids of notes that apply to this person (`note.<id>` in locales). */
  notes: z.array(z.string()),
  /** Ids of the interpretations the edition applies. */
  interpretations: z.array(z.string()),
  /** Clause ids of later developments people should check. */
  laterChanges: z.array(z.string()),
  /** Profile fields the person did not know, answered with the cautious assumption. */
  unconfirmed: z.array(z.string()),
  /** Clause behind the credit review, the submitters rule and the source document. */
  clauses: z.object({ source: z.string(), creditReview: z.string(), submitters: z.string() }),
  settlement: z.array(
    z.object({ id: z.string(), clause: z.string(), pros: z.array(z.string()), cons: z.array(z.string()) }),
  ),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

/** One route in the contract's `routes` list. */
export const RouteOutcomeSchema = z.object({
  id: z.string(),
  met: z.boolean(),
  unmet: z.array(z.enum(CONDITION_IDS)),
  until: isoDate.nullable(),
});
export type RouteOutcome = z.infer<typeof RouteOutcomeSchema>;

/** A decision as the contract defines it, plus `materials` and `explain`. */
export const DecisionSchema = z.object({
  policy: z.string(),
  asOf: isoDate,
  age: z.number().int(),
  verdict: z.enum(VERDICTS),
  route: z.string().nullable(),
  routes: z.array(RouteOutcomeSchema),
  warnings: z.array(z.string()),
  settlement: z.object({
    recommended: z.string(),
    options: z.array(z.object({ id: z.string(), fits: z.boolean() })),
  }),
  steps: z.array(z.string()),
  /** Ids of the documents to prepare (`material.<id>` in locales); empty when not eligible. */
  materials: z.array(z.string()),
  explain: ExplanationSchema,
});
export type Decision = z.infer<typeof DecisionSchema>;
