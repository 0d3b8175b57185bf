import { ArgsType, Field, Float, ID, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { Procedure, ResultSource } from '../../assessments/enums';
import { PageInfo } from '../../graphql/pagination';
import { SchoolType } from '../../territory/enums';
import { DisabledShareBand, Locality, SizeBand, TypeFamily } from '../shared/bands';
import { AnalyticsFilter } from './analytics-filter';

const MAX_FACTS_PAGE = 10_000;

@ArgsType()
export class FactsArgs {
  @Field(() => Int, { defaultValue: 1000, description: `Строк на странице (1–${MAX_FACTS_PAGE})` })
  @Min(1)
  @Max(MAX_FACTS_PAGE)
  first: number = 1000;

  @Field(() => String, { nullable: true, description: 'Курсор: pageInfo.endCursor предыдущей страницы' })
  after?: string | null;

  @Field(() => AnalyticsFilter, { nullable: true })
  filter?: AnalyticsFilter | null;
}

/** What every BI row says of its school: the row's id, the school, its territory and its context in the row's year. */
@ObjectType()
export abstract class SchoolFactFields {
  @Field(() => ID, { description: 'Идентификатор строки (порядок страниц)' }) id!: string;
  @Field(() => ID) schoolId!: string;
  @Field() schoolName!: string;
  @Field(() => String, { nullable: true, description: 'Логин ФИС ОКО' }) schoolLogin!: string | null;
  @Field() regionCode!: string;
  @Field() municipalityCode!: string;
  @Field() municipalityName!: string;
  @Field(() => Int) year!: number;
  @Field(() => Procedure) procedure!: Procedure;
  @Field(() => ResultSource) source!: ResultSource;
  @Field(() => SchoolType, { nullable: true, description: 'Тип ОО в году результата; null — не указан (ни в контексте года, ни в справочнике)' }) schoolType!: SchoolType | null;
  @Field(() => TypeFamily, { nullable: true, description: 'null — тип не указан и углублённого изучения нет' }) typeFamily!: TypeFamily | null;
  @Field(() => Boolean, { nullable: true, description: 'null — местность не указана' }) urban!: boolean | null;
  @Field(() => Locality, { nullable: true, description: 'null — местность не указана' }) locality!: Locality | null;
  @Field(() => Int, { nullable: true }) enrolment!: number | null;
  @Field(() => SizeBand, { nullable: true }) sizeBand!: SizeBand | null;
  @Field(() => Int, { nullable: true }) classes!: number | null;
  @Field(() => Boolean, { nullable: true }) smallSchool!: boolean | null;
  @Field(() => Boolean, { nullable: true }) inDepthStudy!: boolean | null;
  @Field(() => Float, { nullable: true, description: 'Доля обучающихся с ОВЗ (0–1)' }) shareDisabled!: number | null;
  @Field(() => DisabledShareBand, { nullable: true }) disabledShareBand!: DisabledShareBand | null;
  @Field(() => Float, { nullable: true }) socialIndex!: number | null;
  @Field(() => Int, { nullable: true }) teachers!: number | null;
  @Field(() => Int, { nullable: true }) vacancies!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Факт для BI: результат ОО в процедуре (ОО × год × процедура × предмет × класс) с территорией и контекстом. Доли — 0–1' })
export class Fact extends SchoolFactFields {
  @Field() session!: string;
  @Field() subjectCode!: string;
  @Field() subjectName!: string;
  @Field(() => Int) grade!: number;
  @Field(() => Int, { nullable: true }) maxPrimary!: number | null;
  @Field(() => Int) participants!: number;
  @Field(() => Int, { nullable: true }) count2!: number | null;
  @Field(() => Int, { nullable: true }) count3!: number | null;
  @Field(() => Int, { nullable: true }) count4!: number | null;
  @Field(() => Int, { nullable: true }) count5!: number | null;
  @Field(() => Int, { nullable: true, description: 'Участников с отметкой (база долей отметок)' }) marked!: number | null;
  @Field(() => Float, { nullable: true }) share2!: number | null;
  @Field(() => Float, { nullable: true }) share3!: number | null;
  @Field(() => Float, { nullable: true }) share4!: number | null;
  @Field(() => Float, { nullable: true }) share5!: number | null;
  @Field(() => Float, { nullable: true }) share45!: number | null;
  @Field(() => Float, { nullable: true }) meanPrimary!: number | null;
  @Field(() => Float, { nullable: true, description: 'Средний % от максимума (0–100)' }) meanPercent!: number | null;
  @Field(() => Float, { nullable: true, description: 'SD % от максимума по ученикам' }) sdPercent!: number | null;
  @Field(() => Float, { nullable: true }) meanTestScore!: number | null;
  @Field(() => Int, { nullable: true }) belowMinimum!: number | null;
  @Field(() => Float, { nullable: true }) belowMinimumShare!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: участников с тестовым баллом 80 и выше' }) countTest80!: number | null;
  @Field(() => Float, { nullable: true, description: 'ЕГЭ: доля участников с тестовым баллом 80 и выше, 0–1' }) shareTest80!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: стобалльников' }) countTest100!: number | null;
  @Field(() => Int, { nullable: true }) journalLowered!: number | null;
  @Field(() => Int, { nullable: true }) journalConfirmed!: number | null;
  @Field(() => Int, { nullable: true }) journalRaised!: number | null;
  @Field(() => Int, { nullable: true }) journalMismatch2!: number | null;
  @Field(() => Float, { nullable: true, description: 'Доля подтвердивших отметку по журналу' }) journalAgreementShare!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Факт для BI: итог ОО по процедуре за год по всем предметам (ОО × год × процедура; school_exam_total) с территорией и контекстом. Доли — 0–1',
})
export class ExamTotalFact extends SchoolFactFields {
  @Field(() => Int, { nullable: true, description: 'Выпускников, сдававших процедуру (база доли)' }) participants!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: выпускников с суммой 220 и более тестовых баллов по трём предметам' }) countSum3_220!: number | null;
  @Field(() => Float, { nullable: true, description: 'ЕГЭ: их доля среди сдававших, 0–1' }) shareSum3_220!: number | null;
}

/** A page of facts of one grain, as the service assembles it. */
export interface PagedFacts<Node> {
  nodes: Node[];
  pageInfo: PageInfo;
  counter: () => Promise<number>;
}

/** The page type of a grain's facts: nodes, keyset page info and a total counted only when asked. */
function factPage<Node extends SchoolFactFields>(NodeClass: ClassType<Node>) {
  @ObjectType()
  abstract class FactPage implements PagedFacts<Node> {
    @Field(() => [NodeClass]) nodes!: Node[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    counter!: () => Promise<number>;

    @Field(() => Int, { description: 'Всего фактов с учётом отбора (отдельный запрос)' })
    totalCount(): Promise<number> {
      return this.counter();
    }
  }
  return FactPage;
}

@ObjectType({ simpleResolvers: true, description: 'Страница фактов (ключевой курсор: каждая страница — один запрос к БД)' })
export class FactConnection extends factPage(Fact) {}

@ObjectType({ simpleResolvers: true, description: 'Страница итогов ОО по процедурам (ключевой курсор: каждая страница — один запрос к БД)' })
export class ExamTotalFactConnection extends factPage(ExamTotalFact) {}
