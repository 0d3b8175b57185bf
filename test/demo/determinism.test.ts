import { DEMO_SEED, generateDemoRegion, generateRegion, type ParticipantResult } from '../../src/demo';

const rowKey = (row: ParticipantResult) => `${row.schoolId}|${row.assessmentKey}|${row.participantCode}`;

describe('demo region determinism', () => {
  const first = generateDemoRegion();
  const second = generateRegion({ seed: DEMO_SEED });
  const allRows = [...first.participantResults()];

  it('gives identical data for the same seed, benchmarks included', () => {
    expect(JSON.stringify(second)).toEqual(JSON.stringify(first));
    expect(first.benchmarks.length).toBeGreaterThan(0);
  });

  it('gives identical participant rows whatever order or filter they are read in', () => {
    const schools = second.schools.map((s) => s.id);
    const assessments = second.assessments.map((a) => a.key);
    // Read a fresh region backwards, one (school, assessment) block at a time, starting with the last year.
    const backwards = new Map<string, ParticipantResult>();
    for (const schoolId of [...schools].reverse().filter((_, i) => i % 4 === 0)) {
      for (const key of [...assessments].reverse().filter((_, i) => i % 3 === 0)) {
        for (const row of second.participantResults({ schoolIds: [schoolId], assessmentKeys: [key] })) backwards.set(rowKey(row), row);
      }
    }
    expect(backwards.size).toBeGreaterThan(1000);
    const full = new Map(allRows.map((row) => [rowKey(row), row]));
    for (const [key, row] of backwards) expect(full.get(key)).toEqual(row);
  });

  it('applies filters by year and procedure without changing rows', () => {
    const filtered = [...first.participantResults({ years: [2024], procedures: ['OGE'] })];
    const expected = allRows.filter((row) => row.assessmentKey.startsWith('OGE-2024-'));
    expect(filtered).toEqual(expected);
    expect(filtered.length).toBeGreaterThan(0);
  });

  it('gives different data for a different seed', () => {
    const other = generateRegion({ seed: DEMO_SEED + 1 });
    expect(other.schools.map((s) => s.name)).not.toEqual(first.schools.map((s) => s.name));
    const otherFirstBlock = [...other.participantResults({ schoolIds: [other.schools[0].id], assessmentKeys: ['VPR-2024-RUS-4'] })];
    const firstBlock = allRows.filter((row) => row.schoolId === first.schools[0].id && row.assessmentKey === 'VPR-2024-RUS-4');
    expect(otherFirstBlock.map((r) => r.taskScores)).not.toEqual(firstBlock.map((r) => r.taskScores));
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateRegion({ seed: 1.5 })).toThrow(RangeError);
    expect(() => generateRegion({ seed: 1, schools: 2 })).toThrow(RangeError);
    expect(() => generateRegion({ seed: 1, schools: 9001 })).toThrow(RangeError);
    expect(() => generateRegion({ seed: 1, years: [] })).toThrow(RangeError);
    expect(() => generateRegion({ seed: 1, anomalyRate: 1.5 })).toThrow(RangeError);
  });
});
