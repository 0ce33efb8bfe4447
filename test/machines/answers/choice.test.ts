import { describe, expect, it } from 'vitest';
import { type Choice, parseChoice } from '../../../machines/answers/index.js';
import type { Params } from '../../../machines/view.js';
import { expectError, expectUnknown, expectValue } from './support.js';

type Education = 'none' | 'college' | 'bachelor' | 'master' | 'doctorate';
const education: readonly Choice<Education>[] = [
  { id: 'none', labels: ['没有大学学历', 'No higher education', '高中', '中专'] },
  { id: 'college', labels: ['大专', 'College diploma', '专科'] },
  { id: 'bachelor', labels: ['本科', "Bachelor's degree", '学士'] },
  { id: 'master', labels: ['硕士', "Master's degree", '研究生'] },
  { id: 'doctorate', labels: ['博士', 'Doctorate', 'PhD'] },
];
const skills: readonly Choice[] = [
  { id: 'none', labels: ['没有', 'None'] },
  { id: 'senior-worker', labels: ['高级工', 'Senior worker'] },
  { id: 'technician', labels: ['技师', 'Technician'] },
  { id: 'senior-technician', labels: ['高级技师', 'Senior technician'] },
];
const modes: readonly Choice[] = [
  { id: 'regular', labels: ['全日制', '统招', 'Regular (full-time)'] },
  { id: 'non-regular', labels: ['非全日制', '成人教育', '自考', 'Non-regular'] },
];

describe('parseChoice: matches', () => {
  it.each([
    // numbers
    ['2', education, 'college'],
    ['2.', education, 'college'],
    ['2、', education, 'college'],
    ['(3)', education, 'bachelor'],
    ['（3）', education, 'bachelor'],
    ['３', education, 'bachelor'],
    ['第2个', education, 'college'],
    ['第二个', education, 'college'],
    ['第五项', education, 'doctorate'],
    ['选2', education, 'college'],
    ['选择第四个', education, 'master'],
    ['option 4', education, 'master'],
    ['#1', education, 'none'],
    ['the 2nd one', education, 'college'],
    ['second', education, 'college'],
    ['the first one', education, 'none'],
    // ids
    ['bachelor', education, 'bachelor'],
    ['BACHELOR', education, 'bachelor'],
    ['senior-worker', skills, 'senior-worker'],
    ['senior worker', skills, 'senior-worker'],
    ['non-regular', modes, 'non-regular'],
    // exact labels, in any language, ignoring case, spaces and punctuation
    ['本科', education, 'bachelor'],
    ['本科。', education, 'bachelor'],
    ['  本 科 ', education, 'bachelor'],
    ["bachelor's degree", education, 'bachelor'],
    ['Bachelors degree', education, 'bachelor'],
    ['ＰｈＤ', education, 'doctorate'],
    ['phd', education, 'doctorate'],
    ['研究生', education, 'master'],
    ['技师', skills, 'technician'],
    ['高级技师', skills, 'senior-technician'],
    ['非全日制', modes, 'non-regular'],
    ['全日制', modes, 'regular'],
    ['没有', skills, 'none'],
    // prefixes and parts
    ['bach', education, 'bachelor'],
    ['doct', education, 'doctorate'],
    ['mast', education, 'master'],
    ['diploma', education, 'college'],
    ['senior tech', skills, 'senior-technician'],
    ['regular full', modes, 'regular'],
    // labels inside the answer
    ['我是本科毕业', education, 'bachelor'],
    ['本科学历', education, 'bachelor'],
    ['我有硕士学位', education, 'master'],
    ['I have a PhD', education, 'doctorate'],
    ['我是高级技师', skills, 'senior-technician'],
    ['我拿的是技师证', skills, 'technician'],
    ['我是非全日制的', modes, 'non-regular'],
    ['统招的', modes, 'regular'],
  ] as const)('%s → %s', (input, choices, expected) => {
    expectValue(parseChoice(input, choices), expected);
  });
});

describe('parseChoice: errors', () => {
  const cases: [string, readonly Choice[], string, Params | undefined][] = [
    ['6', education, 'answer.choice.out-of-range', { max: 5 }],
    ['0', education, 'answer.choice.out-of-range', { max: 5 }],
    ['第九个', education, 'answer.choice.out-of-range', { max: 5 }],
    ['5', skills, 'answer.choice.out-of-range', { max: 4 }],
    [
      'senior',
      skills,
      'answer.choice.ambiguous',
      { options: { list: ['Senior worker', 'Senior technician'] } },
    ],
    ['高级', skills, 'answer.choice.ambiguous', { options: { list: ['高级工', '高级技师'] } }],
    ['本科还是硕士', education, 'answer.choice.ambiguous', { options: { list: ['本科', '硕士'] } }],
    ['不是本科', education, 'answer.choice.unrecognised', undefined],
    ['not a bachelor', education, 'answer.choice.unrecognised', undefined],
    ['本', education, 'answer.choice.unrecognised', undefined],
    ['b', education, 'answer.choice.unrecognised', undefined],
    ['blah', education, 'answer.choice.unrecognised', undefined],
    ['...', education, 'answer.choice.unrecognised', undefined],
    ['', education, 'answer.empty', undefined],
    ['不知道', education, 'answer.unknown.not-allowed', undefined],
  ];
  it.each(cases)('%s → %s', (input, choices, key, params) => {
    expectError(parseChoice(input, choices), key, params);
  });

  it('reports two choices sharing a label as ambiguous', () => {
    const twins: readonly Choice[] = [
      { id: 'a', labels: ['同名'] },
      { id: 'b', labels: ['同名'] },
    ];
    expectError(parseChoice('同名', twins), 'answer.choice.ambiguous', {
      options: { list: ['同名', '同名'] },
    });
  });
});

describe('parseChoice: precedence and unknown', () => {
  it('prefers a whole label over a number', () => {
    const years: readonly Choice[] = [
      { id: 'short', labels: ['1年以下', '3'] },
      { id: 'long', labels: ['3年以上'] },
      { id: 'third', labels: ['其他'] },
    ];
    expectValue(parseChoice('3', years), 'short');
    expectValue(parseChoice('2', years), 'long');
  });
  it('prefers a label over "I don\'t know" when a choice is called that', () => {
    const withUnknown: readonly Choice[] = [
      { id: 'yes', labels: ['有'] },
      { id: 'unsure', labels: ['不清楚'] },
    ];
    expectValue(parseChoice('不清楚', withUnknown, { allowUnknown: true }), 'unsure');
  });
  it.each(['不知道', 'not sure', '?', '不太清楚'])('%s is unknown when allowed', (input) => {
    expectUnknown(parseChoice(input, education, { allowUnknown: true }));
  });
  it('keeps the id type', () => {
    const result = parseChoice('本科', education);
    const id: Education | undefined =
      result.ok && result.value.kind === 'value' ? result.value.value : undefined;
    expect(id).toBe('bachelor');
  });
});
