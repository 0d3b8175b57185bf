import { generateRegion, PLANTED_KINDS, type ParticipantResult, type Procedure } from '../../src/demo';

describe('a 1,000-school region', () => {
  const region = generateRegion({ seed: 2025, schools: 1000 });

  it('has about 20 municipalities and every planted kind', () => {
    expect(region.schools).toHaveLength(1000);
    expect(region.municipalities).toHaveLength(20);
    expect(new Set(region.schools.map((s) => s.municipalityCode)).size).toBe(20);
    expect(new Set(region.planted.map((p) => p.schoolId)).size).toBe(150);
    expect(new Set(region.planted.map((p) => p.kind))).toEqual(new Set(PLANTED_KINDS));
    expect(region.contexts).toHaveLength(3000);
  });

  it('streams well over a million participant rows in small blocks, re-readable by filter', () => {
    const probe = region.schools[500].id;
    const probeRows: ParticipantResult[] = [];
    const perProcedure: Record<Procedure, number> = { VPR: 0, OGE: 0, EGE: 0 };
    let total = 0;
    let largestBlock = 0;
    let block = 0;
    let blockKey = '';
    for (const row of region.participantResults()) {
      total++;
      perProcedure[row.assessmentKey.slice(0, 3) as Procedure]++;
      const key = `${row.schoolId}|${row.assessmentKey}`;
      block = key === blockKey ? block + 1 : 1;
      blockKey = key;
      if (block > largestBlock) largestBlock = block;
      if (row.schoolId === probe) probeRows.push(row);
    }
    // Measured: ≈ 1.5 million rows (ВПР ≈ 80 %); a generous band catches accidental changes of the school mix.
    expect(total).toBeGreaterThan(1_200_000);
    expect(total).toBeLessThan(2_500_000);
    expect(perProcedure.VPR / total).toBeGreaterThan(0.7);
    expect(perProcedure.OGE).toBeGreaterThan(100_000);
    expect(perProcedure.EGE).toBeGreaterThan(50_000);
    expect(largestBlock).toBeLessThan(200); // nothing bigger than one grade of one school is ever held
    expect([...region.participantResults({ schoolIds: [probe] })]).toEqual(probeRows);
  });
});
