import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, InputType, Int } from 'type-graphql';
import { Max, MaxLength, Min } from 'class-validator';
import { Procedure } from '../../assessments/enums';
import { badInput, hubError } from '../../graphql/errors';
import { selectRows, sqlFragment } from '../../shared/sql';

@InputType({ description: 'Процедура без года: процедура, предмет, класс (и сессия, если их несколько)' })
export class AssessmentKeyInput {
  @Field(() => Procedure)
  procedure!: Procedure;

  @Field({ description: 'Код предмета (RUS, MATH, …)' })
  @MaxLength(50)
  subjectCode!: string;

  @Field(() => Int)
  @Min(1)
  @Max(11)
  grade!: number;

  @Field(() => String, { nullable: true, description: 'Сессия (spring, autumn, main…); нужна, только если в году их несколько' })
  session?: string | null;
}

/** The assessment of a key in a year; a key matching several sessions asks for the session. */
export async function findAssessmentId(em: EntityManager, key: AssessmentKeyInput, year: number, argument: string): Promise<number> {
  const rows = await selectRows<{ id: number; session: string }>(
    em,
    sqlFragment(
      `select a.id, a.session from assessment a join subject su on su.id = a.subject_id
       where a.procedure::text = ? and su.code = ? and a.grade = ? and a.year = ? and (?::text is null or a.session = ?::text)
       order by a.session`,
      [key.procedure, key.subjectCode, key.grade, year, key.session ?? null, key.session ?? null],
    ),
  );
  const described = `${key.procedure} ${key.subjectCode} ${key.grade} класс ${year}${key.session ? ` (${key.session})` : ''}`;
  if (rows.length === 0) throw hubError('NOT_FOUND', `Процедура ${described} не найдена`, { argument });
  if (rows.length > 1) throw badInput(`Процедура ${described} проводилась в нескольких сессиях (${rows.map((r) => r.session).join(', ')}): укажите session`, `${argument}.session`);
  return rows[0].id;
}
