/** The hub's SchoolType values. */
export type SchoolTypeCode = 'NOSH' | 'OOSH' | 'SOSH' | 'LYCEUM' | 'GYMNASIUM' | 'OTHER';

export interface SchoolContextInput {
  schoolId: string;
  /** null: stated neither in the year's context nor in the directory. */
  type: SchoolTypeCode | null;
  urban: boolean | null;
  /** In-depth study of subjects; absent means false. */
  inDepthStudy?: boolean;
  enrolment: number | null;
  /** Share of pupils with ОВЗ, 0–1. */
  shareDisabled: number | null;
  /** The region's social-wellbeing index, when the region has one. */
  socialIndex: number | null;
}

export type TypeFamily = 'SELECTIVE' | 'GENERAL';
type Locality = 'URBAN' | 'RURAL';
export type SizeBand = 'UP_TO_100' | 'FROM_101_TO_300' | 'FROM_301_TO_700' | 'FROM_701_TO_1200' | 'OVER_1200';
export type DisabledShareBand = 'BELOW_5_PCT' | 'FROM_5_TO_10_PCT' | 'FROM_10_TO_20_PCT' | 'FROM_20_PCT';
export type SocialIndexBand = 'LOW' | 'MIDDLE' | 'HIGH';

export interface ContextBands {
  /** null: the school's type (or locality) is unknown. */
  typeFamily: TypeFamily | null;
  locality: Locality | null;
  sizeBand: SizeBand | null;
  disabledShareBand: DisabledShareBand | null;
  /** Region tertile of the social index; null when the school or the region has none. */
  socialIndexBand: SocialIndexBand | null;
}

/**
 * Coarse context labels for peer groups and BI group keys.
 *
 * - Type family: SELECTIVE = лицей, гимназия or in-depth study (they select pupils, so their results
 *   are read differently, as in signal A); GENERAL = НОШ, ООШ, СОШ and other.
 * - Size band by enrolment: ≤ 100 (typical малокомплектная rural school), 101–300 (small), 301–700,
 *   701–1200 (a typical urban school), > 1200 (large urban complexes).
 * - ОВЗ share band: < 5 %, 5–10 %, 10–20 %, ≥ 20 % (around the usual 5–10 %; ≥ 20 % means special
 *   classes).
 * - Social-index band: the region's own tertiles, because each region's index has its own scale.
 */

const SELECTIVE_TYPES: readonly SchoolTypeCode[] = ['LYCEUM', 'GYMNASIUM'];

/** The kind of school; null when its type is unknown and it has no in-depth study (not guessed). */
export function typeFamilyOf(type: SchoolTypeCode | null, inDepthStudy = false): TypeFamily | null {
  if (inDepthStudy) return 'SELECTIVE';
  if (type === null) return null;
  return SELECTIVE_TYPES.includes(type) ? 'SELECTIVE' : 'GENERAL';
}

export function sizeBandOf(enrolment: number | null): SizeBand | null {
  if (enrolment == null || !(enrolment >= 0)) return null;
  if (enrolment <= 100) return 'UP_TO_100';
  if (enrolment <= 300) return 'FROM_101_TO_300';
  if (enrolment <= 700) return 'FROM_301_TO_700';
  if (enrolment <= 1200) return 'FROM_701_TO_1200';
  return 'OVER_1200';
}

export function disabledShareBandOf(shareDisabled: number | null): DisabledShareBand | null {
  if (shareDisabled == null || !(shareDisabled >= 0)) return null;
  if (shareDisabled < 0.05) return 'BELOW_5_PCT';
  if (shareDisabled < 0.1) return 'FROM_5_TO_10_PCT';
  if (shareDisabled < 0.2) return 'FROM_10_TO_20_PCT';
  return 'FROM_20_PCT';
}

/** Tertile cut points (the 1/3 and 2/3 empirical quantiles, linear interpolation) of the region's index. */
export function socialIndexTertiles(regionValues: readonly (number | null)[]): [number, number] | null {
  const values = regionValues.filter((v): v is number => v != null && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length < 3) return null;
  return [quantile(values, 1 / 3), quantile(values, 2 / 3)];
}

export function socialIndexBandOf(value: number | null, tertiles: [number, number] | null): SocialIndexBand | null {
  if (value == null || !Number.isFinite(value) || tertiles === null) return null;
  if (value < tertiles[0]) return 'LOW';
  return value < tertiles[1] ? 'MIDDLE' : 'HIGH';
}

/** Bands of every school of a region, keyed by schoolId (tertiles computed once over the region). */
export function contextBandsOf(region: readonly SchoolContextInput[]): Map<string, ContextBands> {
  const tertiles = socialIndexTertiles(region.map((s) => s.socialIndex));
  return new Map(
    region.map((s) => [
      s.schoolId,
      {
        typeFamily: typeFamilyOf(s.type, s.inDepthStudy),
        locality: s.urban === null ? null : s.urban ? 'URBAN' : 'RURAL',
        sizeBand: sizeBandOf(s.enrolment),
        disabledShareBand: disabledShareBandOf(s.shareDisabled),
        socialIndexBand: socialIndexBandOf(s.socialIndex, tertiles),
      },
    ]),
  );
}

function quantile(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
