import { mean, percentile } from './stats';
import { verdictOf } from './report';

describe('bench statistics', () => {
  it('percentile is nearest-rank: a value that was observed', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200..1, unsorted on purpose
    expect(percentile(samples, 50)).toBe(100);
    expect(percentile(samples, 99)).toBe(198);
    expect(percentile(samples, 100)).toBe(200);
    expect(percentile([7], 99)).toBe(7);
    expect(mean([1, 2, 3, 6])).toBe(3);
  });

  it('refuses a percentile of nothing rather than inventing one', () => {
    expect(() => percentile([], 50)).toThrow('no samples');
  });

  it('judges a figure against its target, and an unmeasured one as not measured', () => {
    expect(verdictOf({ name: 'x', value: 3000, unit: 'ms', target: { op: '<=', value: 3000 } })).toBe('met');
    expect(verdictOf({ name: 'x', value: 3001, unit: 'ms', target: { op: '<=', value: 3000 } })).toBe('missed');
    expect(verdictOf({ name: 'x', value: 4.9, unit: 'x', target: { op: '>=', value: 5 } })).toBe('missed');
    expect(verdictOf({ name: 'x', value: null, unit: 'x', target: { op: '>=', value: 5 } })).toBe('not measured');
  });
});
