/**
 * Dialogue scripts: a person's messages and what must be true after each, kept as regression tests.
 * YAML or JSON. `luohu simulate --script FILE...` replays them; `--record` writes them.
 *
 * ```yaml
 * name: bachelor with an employer collective household
 * lang: zh-CN
 * asOf: 2026-11-28
 * steps:
 *   - say: 同意
 *     expect: { question: birthDate }
 *   - say: 1993-04-09
 *   - tap: bachelor            # a choice by id, as a button would send it
 *   - say: /summary
 *     expect: { kind: summary, contains: [出生日期] }
 *   - ...
 *     expect: { verdict: instant, route: degree-bachelor, settlement: employer-collective }
 * ```
 */
import { z } from 'zod';

/** What must hold after a step; every key given is checked. */
export const ExpectSchema = z.strictObject({
  /** The view's kind: consent, question, result, summary, declined, deleted. */
  kind: z.enum(['consent', 'declined', 'question', 'result', 'summary', 'deleted']).optional(),
  /** The question asked (a profile field name). */
  question: z.string().optional(),
  /** The key of the one-off notice (a correction, e.g. `answer.date.no-such-day`); `null`: no notice. */
  notice: z.string().nullable().optional(),
  /** Text that must appear in the rendered view (choices included). */
  contains: z.array(z.string()).optional(),
  /** Text that must not appear. */
  excludes: z.array(z.string()).optional(),
  verdict: z.enum(['instant', 'window-review', 'not-eligible']).optional(),
  route: z.string().nullable().optional(),
  settlement: z.string().optional(),
  /** Choice ids that must be offered. */
  choices: z.array(z.string()).optional(),
  /** Warnings the decision must carry. */
  warnings: z.array(z.string()).optional(),
});
export type Expect = z.infer<typeof ExpectSchema>;

/** One message of the person: typed text (`say`) or a tapped choice id (`tap`), exactly one of them. */
export const StepSchema = z
  .strictObject({
    say: z.union([z.string(), z.number()]).transform(String).optional(),
    tap: z.string().optional(),
    expect: ExpectSchema.optional(),
  })
  .refine((step) => (step.say === undefined) !== (step.tap === undefined), {
    params: { luohu: 'required' },
    path: ['say'],
  });
export type Step = z.infer<typeof StepSchema>;

/** A whole script. */
export const ScriptSchema = z.strictObject({
  name: z.string(),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** The decision date, so results do not change as time passes. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Expectations on the first view, before any message. */
  start: ExpectSchema.optional(),
  steps: z.array(StepSchema).min(1),
});
export type Script = z.infer<typeof ScriptSchema>;
