import { ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, Min } from 'class-validator';
import { AssessmentKeyInput } from '../shared/assessment-key';
import { ContextBandsType } from '../shared/bands';
import { StatisticStatus } from '../shared/statistics.types';
import { ContextVariable, ContextWeighting, PeerMetric, PeerRestriction } from './context.enums';
import { ContextModelType } from './context-model.types';

@ArgsType()
class ContextModelArgs {
  @Field(() => Int, { description: 'Год процедуры' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => AssessmentKeyInput)
  assessment!: AssessmentKeyInput;

  @Field(() => ContextWeighting, { defaultValue: ContextWeighting.PARTICIPANTS })
  weighting: ContextWeighting = ContextWeighting.PARTICIPANTS;

  @Field(() => [ContextVariable], { nullable: true, description: 'Переменные, которые не включать в модель' })
  @IsOptional()
  @ArrayMaxSize(6)
  exclude?: ContextVariable[] | null;
}

@ArgsType()
export class RegionContextModelArgs extends ContextModelArgs {
  @Field(() => String, { nullable: true, description: 'Код региона; для ключей с областью видимости — их регион по умолчанию' })
  regionCode?: string | null;
}

@ArgsType()
export class PeerGroupArgs extends ContextModelArgs {
  @Field({ description: 'ОО: любой код или id' })
  school!: string;

  @Field(() => Int, { defaultValue: 10, description: 'Сколько похожих ОО подобрать (1–50)' })
  @Min(1)
  @Max(50)
  k: number = 10;

  @Field(() => PeerMetric, { defaultValue: PeerMetric.MEAN_PERCENT })
  metric: PeerMetric = PeerMetric.MEAN_PERCENT;
}

@ObjectType({ simpleResolvers: true, description: 'Похожая по контексту ОО' })
export class PeerSchoolType {
  schoolId!: number;
  @Field(() => Float, { nullable: true, description: 'Стандартизованное расстояние по контексту (0 — тот же контекст); null — сравнить не по чему' }) distance!: number | null;
  @Field(() => ContextBandsType) bands!: ContextBandsType;
  @Field(() => Float, { nullable: true, description: 'Значение показателя' }) value!: number | null;
  @Field(() => Int, { nullable: true }) participants!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Место ОО среди похожих (группа = похожие + сама ОО)' })
export class PeerPositionType {
  @Field(() => StatisticStatus) status!: StatisticStatus;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Boolean, { nullable: true }) higherIsBetter!: boolean | null;
  @Field(() => Int, { nullable: true }) groupSize!: number | null;
  @Field(() => Int, { nullable: true, description: '1 — лучшая' }) rank!: number | null;
  @Field(() => Float, { nullable: true, description: 'Процентиль в группе (100 — лучшая), с учётом направления показателя' }) percentile!: number | null;
  @Field(() => Float, { nullable: true }) peerMean!: number | null;
  @Field(() => Float, { nullable: true, description: 'Среднее по ученикам похожих ОО' }) peerWeightedMean!: number | null;
  @Field(() => Float, { nullable: true }) peerMedian!: number | null;
  @Field(() => Float, { nullable: true }) differenceFromPeerMean!: number | null;
  @Field(() => Float, { nullable: true }) differenceFromPeerMedian!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Результат с поправкой на контекст по модели региона' })
export class ContextAdjustedType {
  @Field(() => StatisticStatus) status!: StatisticStatus;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Float, { nullable: true, description: 'Фактический средний % от максимума' }) actual!: number | null;
  @Field(() => Float, { nullable: true, description: 'Ожидаемый при контексте ОО' }) expected!: number | null;
  @Field(() => Float, { nullable: true, description: 'Фактический − ожидаемый, п. п.' }) residual!: number | null;
  @Field(() => Float, { nullable: true }) standardizedResidual!: number | null;
  @Field(() => Float, { nullable: true }) leverage!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'ОО среди похожих по контексту: похожие ОО, место среди них и результат с поправкой на контекст' })
export class PeerGroupType {
  schoolId!: number;
  assessmentId!: number;
  @Field(() => Int) year!: number;
  @Field(() => PeerMetric) metric!: PeerMetric;
  @Field(() => Float, { nullable: true, description: 'Значение показателя ОО' }) value!: number | null;
  @Field(() => Int, { nullable: true }) participants!: number | null;
  @Field(() => ContextBandsType) bands!: ContextBandsType;
  @Field(() => PeerRestriction) restriction!: PeerRestriction;
  @Field(() => Int, { description: 'ОО, из которых выбирались похожие (в области видимости ключа, с результатом в этой процедуре)' }) candidates!: number;
  @Field(() => [String], { description: 'Числовые переменные расстояния: LOG_ENROLMENT, SHARE_DISABLED, SOCIAL_INDEX' }) variablesUsed!: string[];
  @Field(() => [PeerSchoolType]) peers!: PeerSchoolType[];
  @Field(() => PeerPositionType) position!: PeerPositionType;
  @Field(() => ContextAdjustedType) contextAdjusted!: ContextAdjustedType;
  @Field(() => ContextModelType) model!: ContextModelType;
}
