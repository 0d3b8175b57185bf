import { sharesToCounts, shareToCount } from '../../../src/imports/parsing/layouts/shares';

describe('sharesToCounts', () => {
  it('turns shares back into participants', () => {
    expect(sharesToCounts([12.5, 37.5, 37.5, 12.5], 1, 8)).toEqual({ ok: true, counts: [1, 3, 3, 1] });
    expect(sharesToCounts([4, 36, 44, 16], 0, 25)).toEqual({ ok: true, counts: [1, 9, 11, 4] });
  });

  it('absorbs rounding, including a share nudged so the row adds up to 100 %', () => {
    expect(sharesToCounts([0, 33.3, 33.3, 33.4], 1, 3)).toEqual({ ok: true, counts: [0, 1, 1, 1] });
    expect(sharesToCounts([14, 29, 43, 14], 0, 7)).toEqual({ ok: true, counts: [1, 2, 3, 1] });
  });

  it('refuses shares that do not add up to 100 % within their rounding', () => {
    expect(sharesToCounts([4, 36, 44, 20], 0, 25)).toMatchObject({ ok: false, problem: 'sum', sum: 104 });
    expect(sharesToCounts([10, 30, 40, 19.5], 1, 20)).toMatchObject({ ok: false, problem: 'sum' });
  });

  it('refuses a share that is not a whole number of participants', () => {
    expect(sharesToCounts([12.5, 37.5, 37.5, 12.5], 1, 10)).toEqual({ ok: false, problem: 'fit', index: 0, exact: 1.25 });
  });

  it('accepts zero participants only with zero shares', () => {
    expect(sharesToCounts([0, 0, 0, 0], 0, 0)).toEqual({ ok: true, counts: [0, 0, 0, 0] });
    expect(sharesToCounts([0, 50, 50, 0], 0, 0)).toMatchObject({ ok: false, problem: 'fit', index: 1 });
  });
});

describe('shareToCount (a threshold given as a share)', () => {
  it('takes the nearest whole number of participants within the share’s rounding, the same slack as shares of marks', () => {
    expect(shareToCount(18.9, 1, 53)).toEqual({ ok: true, count: 10 });
    expect(shareToCount(16.7, 1, 54)).toEqual({ ok: true, count: 9 });
    expect(shareToCount(0, 0, 0)).toEqual({ ok: true, count: 0 });
  });

  it('refuses a share that no whole number of participants gives', () => {
    expect(shareToCount(12.5, 1, 20)).toEqual({ ok: false, exact: 2.5 });
    expect(shareToCount(50, 0, 5)).toEqual({ ok: false, exact: 2.5 });
  });
});
