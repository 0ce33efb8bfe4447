import { describe, expect, test } from 'vitest';
import { startConversation } from '../../machines/conversation.js';
import { FAILURES_BEFORE_HELP } from '../../machines/views.js';
import { check } from '../../rules/index.js';
import { AS_OF, command, consented, run, say, tap, view } from './support.js';

describe('consent', () => {
  test('the first view asks for consent and nothing else', () => {
    const v = view(startConversation({ asOf: AS_OF }));
    expect(v.kind).toBe('consent');
    expect(v.choices.map((c) => c.id)).toEqual(['agree', 'decline']);
  });

  test.each([
    ['tap agree', tap('agree'), 'question'],
    ['type 同意', say('同意'), 'question'],
    ['type yes', say('yes'), 'question'],
    ['tap decline', tap('decline'), 'declined'],
    ['type 不同意', say('不同意'), 'declined'],
  ])('%s', (_name, event, kind) => {
    expect(view(run(startConversation({ asOf: AS_OF }), event)).kind).toBe(kind);
  });

  test('an answer before consent is not taken as an answer', () => {
    const s = run(startConversation({ asOf: AS_OF }), say('1990-05-17'));
    expect(view(s).kind).toBe('consent');
    expect(view(s).notice?.key).toBe('notice.need-consent');
    expect(s.context.answers).toEqual({});
  });

  test('back and summary before consent ask for consent first', () => {
    for (const name of ['back', 'summary'] as const) {
      const s = run(startConversation({ asOf: AS_OF }), command(name));
      expect(view(s).kind).toBe('consent');
      expect(view(s).notice?.key).toBe('notice.need-consent');
    }
  });

  test('after declining, any message starts again at consent', () => {
    const s = run(startConversation({ asOf: AS_OF }), tap('decline'), say('hi'));
    expect(view(s).kind).toBe('consent');
  });

  test('"start again" tapped at consent (a declined note whose conversation was never stored) asks again, with no notice', () => {
    const s = run(startConversation({ asOf: AS_OF }), tap('start'));
    expect(view(s).kind).toBe('consent');
    expect(view(s).notice).toBeUndefined();
    // Any other unknown button there is one of an older view.
    expect(view(run(startConversation({ asOf: AS_OF }), tap('edit'))).notice?.key).toBe('notice.moved-on');
  });
});

describe('the interview', () => {
  test('a bachelor under 45 is not asked about skills, overseas study or social insurance', () => {
    const s = run(consented(), say('1993-04-09'), tap('bachelor'), tap('regular'));
    const asked: string[] = [];
    let current = s;
    while (view(current).kind === 'question') {
      const q = view(current).question ?? '';
      asked.push(q);
      current = run(current, tap('no'));
    }
    expect(asked).toEqual([
      'creditHighRisk',
      'ownsProperty',
      'relativeHost',
      'employerCollective',
      'talentCentre',
      'guangdongHukou',
    ]);
    expect(view(current).kind).toBe('result');
  });

  test('no education-mode question without a degree', () => {
    const s = run(consented(), say('1993-04-09'), tap('none'));
    expect(view(s).question).toBe('overseasDegree');
  });

  test('settlement questions stop at the first option that fits', () => {
    const s = run(consented(), say('1993-04-09'), tap('bachelor'), tap('regular'), tap('no'), tap('yes'));
    expect(view(s).question).toBe('guangdongHukou');
  });

  test('social insurance is asked only when the senior-worker route depends on it', () => {
    const base = run(consented(), say('1998-01-05'), tap('none'), tap('none'), tap('no'), tap('no'));
    const worker = run(base, tap('senior-worker'), tap('yes'), tap('yes'));
    expect(view(worker).question).toBe('socialInsuranceMonths');
    // A technician under 40 with a verified certificate already qualifies: no social insurance question.
    const technician = run(base, tap('technician'), tap('yes'), tap('yes'));
    expect(view(technician).question).toBe('creditHighRisk');
  });

  test('someone 45 or over is asked only about the high-level talent certificate', () => {
    const s = run(consented(), say('1970-01-01'), tap('bachelor'), tap('regular'));
    expect(view(s).question).toBe('highLevelTalent');
    const done = run(s, tap('no'));
    expect(view(done).kind).toBe('result');
    expect(view(done).decision?.verdict).toBe('not-eligible');
  });

  test('the result equals the rules on the collected profile', () => {
    const s = run(
      consented(),
      say('1989-07-01'),
      tap('bachelor'),
      tap('non-regular'),
      tap('none'),
      tap('no'),
      tap('no'),
      tap('technician'),
      tap('yes'),
      tap('no'),
      tap('yes'),
      tap('no'),
      tap('no'),
      tap('yes'),
      tap('no'),
    );
    const v = view(s);
    expect(v.kind).toBe('result');
    const expected = check(
      {
        birthDate: '1989-07-01',
        education: 'bachelor',
        educationMode: 'non-regular',
        skill: 'technician',
        skillInCatalog: true,
        skillLevelTestPassed: true,
        relativeHost: true,
      },
      { asOf: AS_OF },
    );
    expect(expected.ok && v.decision).toEqual(expected.ok && expected.value);
    expect(v.decision?.route).toBe('skill-technician');
  });
});

describe('answers', () => {
  test.each([
    ['1990-05-17', '1990-05-17'],
    ['1990/5/17', '1990-05-17'],
    ['1990年5月17日', '1990-05-17'],
    ['19900517', '1990-05-17'],
  ])('the date %s is understood', (typed, iso) => {
    const s = run(consented(), say(typed));
    expect(s.context.answers.birthDate).toBe(iso);
    expect(view(s).question).toBe('education');
  });

  test('an age instead of a birth date is accepted and marked approximate', () => {
    const s = run(consented(), say('33岁'));
    expect(s.context.approximateAge).toBe(true);
    expect(view(s).notice?.key).toBe('notice.approximate-age');
    expect(s.context.answers.birthDate).toBe('1992-11-29');
  });

  test('an impossible date gets a specific correction, not the question again', () => {
    const s = run(consented(), say('1990年5月32日'));
    const v = view(s);
    expect(v.question).toBe('birthDate');
    expect(v.notice).toEqual({
      key: 'answer.date.no-such-day',
      params: expect.objectContaining({ month: 5, day: 32 }),
    });
    expect(v.blocks).toEqual([]);
    expect(s.context.answers.birthDate).toBeUndefined();
  });

  test(`after ${FAILURES_BEFORE_HELP} invalid answers the help line is shown`, () => {
    const once = run(consented(), say('banana'));
    expect(view(once).blocks).toEqual([]);
    const twice = run(once, say('banana'));
    expect(view(twice).blocks.map((b) => b.text.key)).toEqual(['question.birthDate.help']);
  });

  test('"I don\'t know" is an answer where allowed: the cautious value, marked unconfirmed, with how to find out', () => {
    const s = run(consented(), say('1993-04-09'), tap('bachelor'), say('不知道'));
    expect(s.context.answers.educationMode).toBe('non-regular');
    expect(s.context.unknown).toEqual(['educationMode']);
    expect(view(s).notice).toMatchObject({
      key: 'notice.assumed',
      params: { how: { t: 'question.educationMode.how' } },
    });
  });

  test('"I don\'t know" is not accepted for the birth date', () => {
    const s = run(consented(), say('不知道'));
    expect(view(s).question).toBe('birthDate');
    expect(view(s).notice?.key).toBe('answer.unknown.not-allowed');
  });

  test('a button of an earlier question never changes state silently', () => {
    const s = run(consented(), say('1993-04-09'), tap('yes'));
    expect(view(s).question).toBe('education');
    expect(view(s).notice?.key).toBe('notice.moved-on');
    expect(s.context.answers.education).toBeUndefined();
  });

  test('unknown answers are listed as unconfirmed in the result', () => {
    const s = run(consented(), say('1993-04-09'), tap('bachelor'), tap('regular'), tap('unknown'));
    const end = run(s, tap('no'), tap('no'), tap('no'), tap('no'), tap('no'));
    const v = view(end);
    expect(v.kind).toBe('result');
    expect(v.decision?.verdict).toBe('window-review');
    expect(v.decision?.explain.unconfirmed).toEqual(['creditHighRisk']);
    expect(v.decision?.warnings).toContain('unconfirmed-answers');
  });
});

describe('commands', () => {
  test('back returns to the previous question and shows the old answer', () => {
    const s = run(consented(), say('1993-04-09'), tap('bachelor'), command('back'));
    const v = view(s);
    expect(v.question).toBe('education');
    expect(v.notice).toMatchObject({
      key: 'notice.back',
      params: { answer: { t: 'question.education.options.bachelor' } },
    });
    expect(s.context.answers.education).toBeUndefined();
    expect(s.context.answers.birthDate).toBe('1993-04-09');
  });

  test('back with nothing answered says so', () => {
    const s = run(consented(), command('back'));
    expect(view(s).notice?.key).toBe('notice.nothing-to-undo');
  });

  test('back from the result reopens the last question', () => {
    const s = run(consented(), say('1970-01-01'), tap('none'), tap('no'));
    expect(view(s).kind).toBe('result');
    const back = run(s, command('back'));
    expect(view(back).question).toBe('highLevelTalent');
  });

  test('restart clears every answer and starts at the first question', () => {
    const s = run(consented(), say('1993-04-09'), tap('bachelor'), command('restart'));
    expect(s.context.answers).toEqual({});
    expect(view(s).question).toBe('birthDate');
    expect(view(s).notice?.key).toBe('notice.restarted');
  });

  test('summary lists the answers; changing one asks only what the change made relevant', () => {
    let s = run(consented(), say('1993-04-09'), tap('bachelor'), tap('regular'));
    s = run(s, tap('no'), tap('no'), tap('no'), tap('yes'), tap('no'));
    expect(view(s).kind).toBe('result');
    s = run(s, tap('edit'));
    const summary = view(s);
    expect(summary.kind).toBe('summary');
    expect(summary.choices.map((c) => c.id)).toContain('edit:education');
    s = run(s, tap('edit:education'));
    expect(view(s).question).toBe('education');
    expect(view(s).notice?.key).toBe('notice.editing');
    // Now without a degree: the skill questions become relevant; settlement answers are kept.
    s = run(s, tap('none'));
    expect(view(s).question).toBe('overseasDegree');
    expect(s.context.answers.employerCollective).toBe(true);
  });

  test('summary then continue returns to the current question', () => {
    const s = run(consented(), say('1993-04-09'), command('summary'), tap('continue'));
    expect(view(s).question).toBe('education');
  });

  test('help adds a notice and keeps the question', () => {
    const s = run(consented(), command('help'));
    expect(view(s).notice?.key).toBe('notice.help');
    expect(view(s).question).toBe('birthDate');
  });

  test('language toggles, or sets the language given', () => {
    const toggled = run(consented('zh-CN'), command('language'));
    expect(toggled.context.lang).toBe('en');
    const set = run(consented('en'), command('language', 'en'));
    expect(set.context.lang).toBe('en');
  });

  test('delete ends the conversation', () => {
    const s = run(consented(), say('1993-04-09'), command('delete'));
    expect(s.status).toBe('done');
    expect(view(s).kind).toBe('deleted');
  });
});
