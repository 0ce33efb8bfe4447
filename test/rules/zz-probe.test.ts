import { test } from 'vitest';
import { check, validateProfile } from '../../rules/index.js';
test('probe', () => {
  const cases: unknown[] = [
    { birthDate: '1990-01-01', education: 'bachelor', foo: 1, bar: 2 },
    { birthDate: '1990-01-01', education: 'bachelor', socialInsuranceMonths: 1.5, educationMode: 'regular' },
    { birthDate: '1990-01-01', education: 'bachelor', socialInsuranceMonths: -1, educationMode: 'regular' },
    { birthDate: '1990-01-01', education: 'bachelor', socialInsuranceMonths: '3', educationMode: 'regular' },
    { birthDate: '1990-2-3', education: 'phd' },
    { birthDate: '1990-02-30', education: 'none' },
    { birthDate: '1990-13-01', education: 'none' },
    { education: 'none' },
    { birthDate: '1926-11-27', education: 'none' },
    'abc', null, [1], undefined, 5,
  ];
  for (const c of cases) console.log(JSON.stringify(c), JSON.stringify(validateProfile(c, '2026-11-28')));
  console.log(JSON.stringify(check([{ birthDate: '1990-01-01', education: 'none' }, {}, 3, { birthDate: '1990-02-30', education: 'none' }], { asOf: '2026-11-28' })));
  console.log(JSON.stringify(check({}, { asOf: '2026-2-3', policy: 'x' })));
});
