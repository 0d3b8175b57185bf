import { aggregateByGroup, AggregateInputRow } from '../../../src/comparisons/bi/group-aggregates';

const rows: AggregateInputRow[] = [
  {
    keys: { municipality: 'M1', year: 2024 },
    schoolId: 'S1',
    participants: 20,
    count2: 2,
    count3: 8,
    count4: 6,
    count5: 4,
    meanPercent: 60,
    journalLowered: 3,
    journalConfirmed: 15,
    journalRaised: 2,
  },
  { keys: { municipality: 'M1', year: 2024 }, schoolId: 'S2', participants: 30, count2: 6, count3: 12, count4: 9, count5: 3, meanPercent: 50, belowMinimum: 2 },
  { keys: { municipality: 'M1', year: 2024 }, schoolId: 'S1', participants: 10, meanTestScore: 70 },
  { keys: { municipality: null, year: 2024 }, schoolId: 'S9', participants: 5, meanPercent: 40 },
  { keys: { municipality: 'M2', year: 2024, subject: 'RUS' }, schoolId: 'S3', participants: 0, meanPercent: 90 },
];

describe('aggregateByGroup', () => {
  const groups = aggregateByGroup(rows, ['municipality', 'year']);

  it('pools metrics over pupils with a base per metric, by hand', () => {
    const m1 = groups[0];
    expect(m1.keys).toEqual({ municipality: 'M1', year: 2024 });
    expect(m1.schools).toBe(2);
    expect(m1.rows).toBe(3);
    expect(m1.participants).toBe(60);
    expect(m1.meanPercent).toBeCloseTo((20 * 60 + 30 * 50) / 50, 12);
    expect(m1.meanTestScore).toBe(70);
    expect(m1.marked).toBe(50);
    expect(m1.share2).toBeCloseTo(8 / 50, 12);
    expect(m1.share3).toBeCloseTo(20 / 50, 12);
    expect(m1.share45).toBeCloseTo(22 / 50, 12);
    expect((m1.share2 as number) + (m1.share3 as number) + (m1.share4 as number) + (m1.share5 as number)).toBeCloseTo(1, 12);
    expect(m1.journalCompared).toBe(20);
    expect(m1.journalAgreementShare).toBeCloseTo(0.75, 12);
    expect(m1.belowMinimum).toBe(2);
    expect(m1.belowMinimumShare).toBeCloseTo(2 / 30, 12);
  });

  it('orders groups by key with unknown keys last; empty bases give null', () => {
    expect(groups.map((g) => g.keys.municipality)).toEqual(['M1', 'M2', null]);
    const m2 = groups[1];
    expect(m2.keys).toEqual({ municipality: 'M2', year: 2024 });
    expect(m2.meanPercent).toBeNull(); // no participants → no weight
    expect(m2.share2).toBeNull();
    expect(m2.journalAgreementShare).toBeNull();
    expect(m2.belowMinimumShare).toBeNull();
    expect(groups[2].meanPercent).toBe(40);
  });

  it('an empty grouping gives one overall group; no rows give no groups', () => {
    const [all] = aggregateByGroup(rows, []);
    expect(all.keys).toEqual({});
    expect(all.schools).toBe(4);
    expect(all.participants).toBe(65);
    expect(all.meanPercent).toBeCloseTo((1200 + 1500 + 200) / 55, 12);
    expect(aggregateByGroup([], ['municipality'])).toEqual([]);
    expect(() => aggregateByGroup([{ keys: {}, schoolId: 'X', participants: -1 }], [])).toThrow(RangeError);
  });
});
