import { Migration } from '@mikro-orm/migrations';
import { MEASURES_V1 } from '../src/recommendations/catalogue/measures-v1';
import { RULES_V1, RULES_VERSION } from '../src/recommendations/rules/rules-v1';

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const json = (value: unknown) => `${literal(JSON.stringify(value))}::jsonb`;

/**
 * Plans of measures: the measure catalogue and the recommendation rules as data (loaded here from the
 * seed-derived v1 files, extensible by administrators), school and municipal plans, their measures with
 * status, evidence and control conclusion, and the history of every change.
 */
export class Migration20261122000400_plans extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table measure_catalogue (
      code text primary key check (code ~ '^[A-Z][A-Z0-9_]*$'),
      section text not null,
      title_ru text not null,
      description_ru text not null,
      level text not null check (level in ('MUNICIPALITY', 'SCHOOL')),
      responsible text[] not null,
      timing jsonb not null,
      expected_result_ru text not null,
      evidence text[] not null,
      sources jsonb not null default '[]',
      named_in_municipal_plan boolean not null default false,
      active boolean not null default true,
      created_by text not null default 'migration',
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create table recommendation_rule (
      code text primary key,
      version integer not null,
      description_ru text not null,
      condition jsonb not null,
      measures text[] not null,
      priority integer not null,
      active boolean not null default true,
      created_by text not null default 'migration',
      created_at timestamptz not null default now()
    );`);
    for (const m of MEASURES_V1) {
      this.addSql(
        `insert into measure_catalogue (code, section, title_ru, description_ru, level, responsible, timing, expected_result_ru, evidence, sources, named_in_municipal_plan)
         values (${literal(m.code)}, ${literal(m.section)}, ${literal(m.titleRu)}, ${literal(m.descriptionRu)}, ${literal(m.level)},
           array[${m.responsible.map(literal).join(',')}]::text[], ${json(m.timing)}, ${literal(m.expectedResultRu)},
           array[${m.evidence.map(literal).join(',')}]::text[], ${json(m.sources)}, ${m.namedInMunicipalPlan ? 'true' : 'false'});`,
      );
    }
    for (const r of RULES_V1) {
      this.addSql(
        `insert into recommendation_rule (code, version, description_ru, condition, measures, priority)
         values (${literal(r.code)}, ${RULES_VERSION}, ${literal(r.descriptionRu)}, ${json(r.when)}, array[${r.measures.map(literal).join(',')}]::text[], ${r.priority});`,
      );
    }

    this.addSql(`create table action_plan (
      id serial primary key,
      school_id integer references school (id) on delete cascade,
      municipality_id integer references municipality (id) on delete cascade,
      year smallint not null,
      created_at timestamptz not null default now(),
      recomputed_at timestamptz,
      constraint action_plan_owner check ((school_id is null) <> (municipality_id is null))
    );`);
    this.addSql(`create unique index action_plan_school_year on action_plan (school_id, year) where school_id is not null;`);
    this.addSql(`create unique index action_plan_municipality_year on action_plan (municipality_id, year) where municipality_id is not null;`);

    this.addSql(`create table planned_measure (
      id serial primary key,
      plan_id integer not null references action_plan (id) on delete cascade,
      measure_code text references measure_catalogue (code) on delete restrict,
      origin text not null check (origin in ('AUTO', 'MANUAL')),
      indication text not null default 'INDICATED' check (indication in ('INDICATED', 'NO_LONGER_INDICATED')),
      section text not null,
      title_ru text not null,
      responsible text[] not null,
      due_date date not null,
      expected_result_ru text not null default '',
      priority integer not null default 3,
      status text not null default 'PLANNED' check (status in ('PLANNED', 'IN_PROGRESS', 'DONE', 'NOT_DONE', 'CANCELLED')),
      evidence_doc_type text,
      evidence_doc_number text,
      evidence_doc_date date,
      control_conclusion text,
      reasons jsonb not null default '[]',
      rule_codes text[] not null default '{}',
      reason_ru text not null default '',
      schools jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text not null default 'system'
    );`);
    this.addSql(`create unique index planned_measure_auto_unique on planned_measure (plan_id, measure_code) where origin = 'AUTO';`);
    this.addSql(`create index planned_measure_due_index on planned_measure (due_date) where status in ('PLANNED', 'IN_PROGRESS');`);

    this.addSql(`create table planned_measure_history (
      id bigint generated by default as identity primary key,
      measure_id integer not null references planned_measure (id) on delete cascade,
      at timestamptz not null default now(),
      actor text not null,
      field text not null,
      old_value text,
      new_value text
    );`);
    this.addSql(`create index planned_measure_history_measure_index on planned_measure_history (measure_id, at);`);
  }

  async down(): Promise<void> {
    for (const table of ['planned_measure_history', 'planned_measure', 'action_plan', 'recommendation_rule', 'measure_catalogue']) {
      this.addSql(`drop table if exists ${table};`);
    }
  }
}
