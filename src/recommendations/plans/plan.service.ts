import type { EntityManager } from '@mikro-orm/postgresql';
import { assertRole } from '../../auth/authorization';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { Role } from '../../shared/role';
import { municipalityScope, municipalPlanScopeFragment, schoolScopeFragment } from '../../auth/scope';
import { badInput, hubError, parseId } from '../../graphql/errors';
import { Municipality } from '../../territory/municipality.entity';
import { SchoolService } from '../../schools/school.service';
import { intArrayLiteral, type SqlBinding } from '../../shared/sql';
import { planId } from './plan-sync';
import type { ActionPlanType, AddPlannedMeasureInput, MeasureChange, PlannedMeasureType, UpdatePlannedMeasureInput } from './plan.types';

/** Roles that manage plans (add measures, set conclusions); schools report execution on their own plan. */
const PLAN_MANAGERS: Role[] = [Role.ADMIN, Role.MUNICIPAL_ANALYST];
const MUNICIPAL_PLAN_READERS: Role[] = [Role.ADMIN, Role.MUNICIPAL_ANALYST, Role.REGIONAL_IMPORTER];
/** Fields a school may report; the rest (conclusion, due date) belong to the МОУО. */
const SCHOOL_FIELDS = new Set(['status', 'evidenceDocType', 'evidenceDocNumber', 'evidenceDocDate']);
const COLUMN: Record<string, string> = {
  status: 'status',
  evidenceDocType: 'evidence_doc_type',
  evidenceDocNumber: 'evidence_doc_number',
  evidenceDocDate: 'evidence_doc_date',
  controlConclusion: 'control_conclusion',
  dueDate: 'due_date',
};

const isoDate = (value: Date | string | null) => (value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));

function measureFromRow(row: any, schoolNames: Map<number, string>, today: string): PlannedMeasureType {
  const dueDate = isoDate(row.due_date)!;
  return {
    id: String(row.id),
    planId: row.plan_id,
    measureCode: row.measure_code,
    origin: row.origin,
    indication: row.indication,
    section: row.section,
    titleRu: row.title_ru,
    responsible: row.responsible,
    dueDate,
    expectedResultRu: row.expected_result_ru,
    priority: row.priority,
    status: row.status,
    evidence: { docType: row.evidence_doc_type, docNumber: row.evidence_doc_number, docDate: isoDate(row.evidence_doc_date) },
    controlConclusion: row.control_conclusion,
    reasons: row.reasons,
    ruleCodes: row.rule_codes,
    reasonRu: row.reason_ru,
    schools: row.schools ? row.schools.map((s: any) => ({ schoolId: s.schoolId, name: schoolNames.get(s.schoolId) ?? `ОО ${s.schoolId}`, reasonRu: s.reasonRu })) : null,
    overdue: dueDate < today && (row.status === 'PLANNED' || row.status === 'IN_PROGRESS'),
    updatedAt: new Date(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/** Plans of measures within the principal's scope: reading, manual measures, execution and control. */
export class PlanService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly remoteAddress: string | null = null,
    private readonly today: string = new Date().toISOString().slice(0, 10),
  ) {}

  private get knex() {
    return this.em.getKnex();
  }

  async schoolPlan(schoolId: number, year: number): Promise<ActionPlanType | null> {
    const { rows } = await this.knex.raw(`select * from action_plan where school_id = ? and year = ?`, [schoolId, year]);
    return rows[0] ? this.withMeasures(rows[0]) : null;
  }

  async municipalPlan(municipalityCode: string, year: number): Promise<ActionPlanType | null> {
    assertRole(this.principal, MUNICIPAL_PLAN_READERS);
    const municipality = await this.visibleMunicipality(municipalityCode);
    const { rows } = await this.knex.raw(`select * from action_plan where municipality_id = ? and year = ?`, [municipality.id, year]);
    return rows[0] ? this.withMeasures(rows[0]) : null;
  }

  /** Measures past their due date and not done, within the scope, oldest first. */
  async overdue(asOf: string | null, municipalityCode: string | null): Promise<PlannedMeasureType[]> {
    assertRole(this.principal, [...MUNICIPAL_PLAN_READERS, Role.SCHOOL]);
    const scope = schoolScopeFragment(this.principal, 's');
    const municipal = municipalPlanScopeFragment(this.principal, 'p');
    const bindings: SqlBinding[] = [asOf ?? this.today, ...scope.bindings, ...municipal.bindings];
    let filter = '';
    if (municipalityCode) {
      filter = `and coalesce(s.municipality_id, p.municipality_id) in (select id from municipality where code = ?)`;
      bindings.push(municipalityCode);
    }
    const { rows } = await this.knex.raw(
      `select m.* from planned_measure m join action_plan p on p.id = m.plan_id left join school s on s.id = p.school_id
       where m.due_date < ?::date and m.status in ('PLANNED', 'IN_PROGRESS') and m.indication = 'INDICATED'
         and ((p.school_id is not null and ${scope.sql}) or (p.municipality_id is not null and ${municipal.sql})) ${filter}
       order by m.due_date, m.id limit 1000`,
      bindings,
    );
    return this.toMeasures(rows);
  }

  async history(measureId: number): Promise<MeasureChange[]> {
    await this.visibleMeasure(measureId);
    const { rows } = await this.knex.raw(`select * from planned_measure_history where measure_id = ? order by at, id`, [measureId]);
    return rows.map((r: any) => ({ at: new Date(r.at), actor: r.actor, field: r.field, oldValue: r.old_value, newValue: r.new_value }));
  }

  async update(input: UpdatePlannedMeasureInput): Promise<PlannedMeasureType> {
    const id = parseId(input.id, 'input.id', 'мероприятия');
    const current = await this.visibleMeasure(id);
    const changes = Object.entries(COLUMN).filter(([field]) => (input as unknown as Record<string, unknown>)[field] !== undefined);
    if (changes.length === 0) throw badInput('Нечего изменять: укажите статус, документ, выводы или срок', 'input');
    if (this.principal.role === Role.SCHOOL) {
      const forbidden = changes.map(([field]) => field).filter((f) => !SCHOOL_FIELDS.has(f));
      if (forbidden.length) throw hubError('FORBIDDEN', `ОО может сообщать только статус и подтверждающий документ; поля ${forbidden.join(', ')} заполняет МОУО`);
    } else {
      assertRole(this.principal, PLAN_MANAGERS);
    }
    await this.knex.transaction(async (trx) => {
      for (const [field, column] of changes) {
        const value = (input as unknown as Record<string, string | null>)[field];
        const old = column.endsWith('date') ? isoDate(current[column]) : current[column];
        if ((old ?? null) === (value ?? null)) continue;
        await trx.raw(`update planned_measure set ${column} = ?, updated_at = now(), updated_by = ? where id = ?`, [value, this.principal.actor, id]);
        await trx.raw(`insert into planned_measure_history (measure_id, actor, field, old_value, new_value) values (?, ?, ?, ?, ?)`, [id, this.principal.actor, field, old ?? null, value ?? null]);
      }
    });
    await new AuditService(this.em, this.principal, this.remoteAddress).record({ action: 'plan.measure.update', target: `measure:${id}`, details: { fields: changes.map(([f]) => f) } });
    return (await this.toMeasures((await this.knex.raw(`select * from planned_measure where id = ?`, [id])).rows))[0];
  }

  async add(input: AddPlannedMeasureInput): Promise<PlannedMeasureType> {
    assertRole(this.principal, PLAN_MANAGERS);
    if ((input.schoolCode == null) === (input.municipalityCode == null)) throw badInput('Укажите ровно одно: schoolCode (план ОО) или municipalityCode (план МОУО)', 'input');
    let owner: { schoolId: number } | { municipalityId: number };
    if (input.schoolCode) {
      const school = await new SchoolService(this.em, this.principal).findByCode(input.schoolCode);
      if (!school) throw badInput(`ОО с кодом "${input.schoolCode}" не найдена`, 'input.schoolCode');
      owner = { schoolId: school.id };
    } else {
      owner = { municipalityId: (await this.visibleMunicipality(input.municipalityCode!)).id };
    }
    let section = input.section ?? null;
    let title = input.titleRu ?? null;
    let responsible = input.responsible ?? null;
    let expected = input.expectedResultRu ?? '';
    if (input.measureCode) {
      const { rows } = await this.knex.raw(`select * from measure_catalogue where code = ? and active`, [input.measureCode]);
      if (!rows[0]) throw badInput(`Мера "${input.measureCode}" не найдена в каталоге`, 'input.measureCode');
      section ??= rows[0].section;
      title ??= rows[0].title_ru;
      responsible ??= rows[0].responsible;
      expected ||= rows[0].expected_result_ru;
    }
    if (!title || !section) throw badInput('Для меры не из каталога укажите titleRu и section', 'input.titleRu');
    const created = await this.knex.transaction(async (trx) => {
      const plan = await planId(trx, owner, input.year);
      const { rows } = await trx.raw(
        `insert into planned_measure (plan_id, measure_code, origin, section, title_ru, responsible, due_date, expected_result_ru, reason_ru, updated_by)
         values (?, ?, 'MANUAL', ?, ?, ?::text[], ?::date, ?, 'Добавлено вручную', ?) returning *`,
        [plan, input.measureCode ?? null, section, title, responsible ?? [], input.dueDate, expected, this.principal.actor],
      );
      await trx.raw(`insert into planned_measure_history (measure_id, actor, field, old_value, new_value) values (?, ?, 'created', null, ?)`, [rows[0].id, this.principal.actor, title]);
      return rows[0];
    });
    await new AuditService(this.em, this.principal, this.remoteAddress).record({ action: 'plan.measure.add', target: `measure:${created.id}`, details: { measureCode: input.measureCode ?? null, year: input.year } });
    return (await this.toMeasures([created]))[0];
  }

  /** A measure, if its plan is within the scope (school plans by school scope, municipal plans by role and municipality). */
  private async visibleMeasure(id: number): Promise<any> {
    const scope = schoolScopeFragment(this.principal, 's');
    const municipal = municipalPlanScopeFragment(this.principal, 'p');
    const { rows } = await this.knex.raw(
      `select m.* from planned_measure m join action_plan p on p.id = m.plan_id left join school s on s.id = p.school_id
       where m.id = ? and ((p.school_id is not null and ${scope.sql}) or (p.municipality_id is not null and ${municipal.sql}))`,
      [id, ...scope.bindings, ...municipal.bindings],
    );
    if (!rows[0]) throw hubError('NOT_FOUND', `Мероприятие ${id} не найдено`);
    return rows[0];
  }

  private async visibleMunicipality(code: string): Promise<Municipality> {
    const found = await this.em.find(Municipality, { $and: [{ code }, municipalityScope(this.principal)] });
    if (found.length !== 1) throw badInput(`Муниципалитет с кодом "${code}" не найден`, 'municipalityCode');
    return found[0];
  }

  private async withMeasures(plan: any): Promise<ActionPlanType> {
    const { rows } = await this.knex.raw(`select * from planned_measure where plan_id = ? order by section, priority, due_date, id`, [plan.id]);
    return {
      id: String(plan.id),
      year: plan.year,
      schoolId: plan.school_id,
      municipalityId: plan.municipality_id,
      recomputedAt: plan.recomputed_at ? new Date(plan.recomputed_at) : null,
      measures: await this.toMeasures(rows),
    };
  }

  private async toMeasures(rows: any[]): Promise<PlannedMeasureType[]> {
    const schoolIds = [...new Set(rows.flatMap((r) => (r.schools ?? []).map((s: any) => s.schoolId as number)))];
    const names = new Map<number, string>();
    if (schoolIds.length) {
      const { rows: schools } = await this.knex.raw(`select id, name from school where id = any(?::int[])`, [intArrayLiteral(schoolIds)]);
      for (const s of schools) names.set(s.id, s.name);
    }
    return rows.map((r) => measureFromRow(r, names, this.today));
  }
}
