/**
 * `nextQuestion` against a frozen copy of what it was before the second round of performance work
 * (`legacy/relevance.ts`): over thousands of partial answer sets of generated people, several
 * decision dates and both editions, the next question is the same.
 */
import { expect, test } from 'vitest';
import { generateProfiles, mulberry32 } from '../../bench/profiles.js';
import { QUESTION_IDS } from '../../machines/questions.js';
import { type Answers, nextQuestion, profileFrom } from '../../machines/relevance.js';
import { DEFAULT_EDITION, type Edition, ProfileSchema } from '../../rules/index.js';
import { testEdition } from '../rules/fixtures/test-edition.js';
import { nextQuestion as legacyNextQuestion, profileFrom as legacyProfileFrom } from './legacy/relevance.js';

test('nextQuestion and profileFrom give what they gave before, on partial answers', () => {
  const random = mulberry32(23);
  let compared = 0;
  for (const asOf of ['2026-11-28', '2030-06-01'])
    for (const edition of [DEFAULT_EDITION, testEdition] as Edition[])
      for (const input of generateProfiles(1_000, asOf, 19)) {
        const profile = ProfileSchema.parse(input) as Record<string, unknown>;
        // Every field kept with some chance; sometimes no birth date or degree yet.
        const answers: Record<string, unknown> = {};
        for (const id of QUESTION_IDS)
          if (profile[id] !== undefined && random() < (id === 'birthDate' || id === 'education' ? 0.95 : 0.5))
            answers[id] = profile[id];
        const options = { asOf, edition };
        expect(nextQuestion(answers as Answers, options)).toBe(
          legacyNextQuestion(answers as Answers, options),
        );
        if (answers.birthDate !== undefined && answers.education !== undefined)
          expect(profileFrom(answers as Answers)).toEqual(legacyProfileFrom(answers as Answers));
        compared++;
      }
  expect(compared).toBe(4_000);
});
