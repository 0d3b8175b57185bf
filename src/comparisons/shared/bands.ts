import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { disabledShareBandOf, sizeBandOf, socialIndexBandOf, typeFamilyOf, type SchoolTypeCode } from '../stats';

export enum TypeFamily {
  SELECTIVE = 'SELECTIVE',
  GENERAL = 'GENERAL',
}
registerEnumType(TypeFamily, {
  name: 'TypeFamily',
  description: 'Вид ОО: SELECTIVE — лицей, гимназия или углублённое изучение; GENERAL — остальные',
});

export enum Locality {
  URBAN = 'URBAN',
  RURAL = 'RURAL',
}
registerEnumType(Locality, { name: 'Locality', description: 'Городская или сельская ОО' });

export enum SizeBand {
  UP_TO_100 = 'UP_TO_100',
  FROM_101_TO_300 = 'FROM_101_TO_300',
  FROM_301_TO_700 = 'FROM_301_TO_700',
  FROM_701_TO_1200 = 'FROM_701_TO_1200',
  OVER_1200 = 'OVER_1200',
}
registerEnumType(SizeBand, { name: 'SizeBand', description: 'Численность обучающихся: до 100, 101–300, 301–700, 701–1200, более 1200' });

export enum DisabledShareBand {
  BELOW_5_PCT = 'BELOW_5_PCT',
  FROM_5_TO_10_PCT = 'FROM_5_TO_10_PCT',
  FROM_10_TO_20_PCT = 'FROM_10_TO_20_PCT',
  FROM_20_PCT = 'FROM_20_PCT',
}
registerEnumType(DisabledShareBand, { name: 'DisabledShareBand', description: 'Доля обучающихся с ОВЗ: < 5 %, 5–10 %, 10–20 %, ≥ 20 %' });

export enum SocialIndexBand {
  LOW = 'LOW',
  MIDDLE = 'MIDDLE',
  HIGH = 'HIGH',
}
registerEnumType(SocialIndexBand, { name: 'SocialIndexBand', description: 'Терциль индекса социального благополучия среди ОО региона' });

@ObjectType({ simpleResolvers: true, description: 'Контекст ОО укрупнённо: по нему подбираются похожие ОО' })
export class ContextBandsType {
  @Field(() => TypeFamily, { nullable: true, description: 'null — тип ОО не указан' }) typeFamily!: TypeFamily | null;
  @Field(() => Locality, { nullable: true, description: 'null — местность не указана' }) locality!: Locality | null;
  @Field(() => SizeBand, { nullable: true }) sizeBand!: SizeBand | null;
  @Field(() => DisabledShareBand, { nullable: true }) disabledShareBand!: DisabledShareBand | null;
  @Field(() => SocialIndexBand, { nullable: true }) socialIndexBand!: SocialIndexBand | null;
}

export interface BandInput {
  /** null: not stated in the directory nor in a context row. */
  type: SchoolTypeCode | null;
  urban: boolean | null;
  inDepthStudy: boolean;
  enrolment: number | null;
  shareDisabled: number | null;
  socialIndex: number | null;
}

/** Bands of one school; `tertiles` are the region's social-index cut points (null when it has none). */
export function bandsOf(school: BandInput, tertiles: [number, number] | null): ContextBandsType {
  return {
    typeFamily: typeFamilyOf(school.type, school.inDepthStudy) as TypeFamily | null,
    locality: school.urban === null ? null : school.urban ? Locality.URBAN : Locality.RURAL,
    sizeBand: sizeBandOf(school.enrolment) as SizeBand | null,
    disabledShareBand: disabledShareBandOf(school.shareDisabled) as DisabledShareBand | null,
    socialIndexBand: socialIndexBandOf(school.socialIndex, tertiles) as SocialIndexBand | null,
  };
}
