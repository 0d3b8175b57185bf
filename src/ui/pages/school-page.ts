import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { PlanService } from '../../recommendations';
import { RiskReadService } from '../../risk';
import { Municipality } from '../../territory/municipality.entity';
import type { School } from '../../territory/school.entity';
import { esc, page } from '../html';
import { histogramChart, journalChart, trendChart } from './charts';
import { assessmentLabel, resultLines } from './report-data';
import { ZONE_LEVEL_RU } from '../../risk/markers';

const ZONE_RU: Record<string, string> = ZONE_LEVEL_RU;
const STATUS_RU: Record<string, string> = { PLANNED: 'запланировано', IN_PROGRESS: 'выполняется', DONE: 'выполнено', NOT_DONE: 'не выполнено', CANCELLED: 'отменено' };
const zone = (level: string) => `<span class="zone zone-${esc(level)}">${esc(ZONE_RU[level] ?? level)}</span>`;

/** Паспорт школы: three years of results against the references, histograms with evidence, journal agreement, zones, plan. */
export async function schoolPage(em: EntityManager, principal: Principal, school: School, year: number): Promise<string> {
  const years = [year - 2, year - 1, year];
  const municipality = await em.findOneOrFail(Municipality, { id: school.municipality.id });
  const lines = await resultLines(em, principal, school, years);
  const risk = new RiskReadService(em, principal);
  const [zones, indicators, plan] = await Promise.all([
    risk.zonesBySchool([school.id]),
    risk.indicatorsBySchool([school.id], [year], false),
    new PlanService(em, principal).schoolPlan(school.id, year),
  ]);

  // Three-year charts, one per procedure × subject × grade.
  const groups = new Map<string, typeof lines>();
  for (const line of lines) {
    const key = `${line.assessment.procedure}|${line.subject.code}|${line.assessment.grade}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const trends = [...groups.values()].map((group) => {
    const at = (y: number) => group.find((l) => l.assessment.year === y);
    return trendChart(assessmentLabel(group[0].assessment, group[0].subject), years, [
      { name: 'ОО', values: years.map((y) => at(y)?.result.meanPercent ?? null) },
      { name: 'Муниципалитет', values: years.map((y) => at(y)?.municipality ?? null) },
      { name: 'Регион', values: years.map((y) => at(y)?.region ?? null) },
      { name: 'Россия', values: years.map((y) => at(y)?.russia ?? null) },
    ]);
  });

  const thisYear = lines.filter((l) => l.assessment.year === year);
  const bunching = new Map(indicators.filter((i) => i.check === 'BOUNDARY_BUNCHING').map((i) => [i.assessmentId, i]));
  const histograms = thisYear
    .filter((l) => l.result.histogram && l.assessment.markBoundaries && l.assessment.procedure === 'VPR')
    .map((l) => {
      const evidence = bunching.get(l.assessment.id)?.evidence as any;
      const counterfactual = evidence?.details?.counterfactualHistogram ?? evidence?.baseline?.counterfactualHistogram ?? null;
      const boundaries = l.assessment.markBoundaries!.map((minPrimary, i) => ({ mark: i + 3, minPrimary }));
      return histogramChart(assessmentLabel(l.assessment, l.subject), l.result.histogram!, boundaries, Array.isArray(counterfactual) ? counterfactual : null);
    });
  const journalRows = thisYear
    .filter((l) => l.result.journalConfirmed !== null)
    .map((l) => ({ label: `${l.subject.name}, ${l.assessment.grade} кл.`, lowered: l.result.journalLowered ?? 0, confirmed: l.result.journalConfirmed ?? 0, raised: l.result.journalRaised ?? 0 }));
  const journal = journalRows.length ? [journalChart(`ВПР ${year}`, journalRows)] : [];

  const zoneThisYear = zones.find((z) => z.year === year);
  const flagged = indicators.filter((i) => i.status === 'FLAGGED');
  const history = zones.map((z) => `<tr><td>${z.year}</td><td>${zone(z.objectivity)}</td><td>${zone(z.lowResults)}</td><td>${z.objectivityDetail.markerCount}</td><td>${z.objectivityDetail.consecutiveFlaggedYears}</td></tr>`).join('');

  const body = `
  <h1>Паспорт ОО: ${esc(school.name)}</h1>
  <p class="muted">${esc(municipality.name)} · результаты ${years[0]}–${year} · <a class="no-print" href="/pages/municipalities/${esc(municipality.code)}?year=${year}">к списку ОО муниципалитета</a></p>
  <h2>Результаты за три года в сравнении с муниципалитетом, регионом и Россией</h2>
  <div class="charts">${trends.map((c) => c.html).join('') || '<p class="muted">Нет результатов за эти годы.</p>'}</div>
  <h2>Распределение первичных баллов, ${year}</h2>
  <p class="small muted">Пунктир — границы отметок; линия — ожидаемое распределение без пиков у границ (контрфактическое), по которому проверяются признаки необъективности.</p>
  <div class="charts">${histograms.map((c) => c.html).join('') || '<p class="muted">Нет распределений баллов.</p>'}</div>
  <h2>Соответствие отметок ВПР отметкам по журналу, ${year}</h2>
  <div class="charts">${journal.map((c) => c.html).join('') || '<p class="muted">Нет отметок по журналу.</p>'}</div>
  <h2>Зоны риска</h2>
  ${zoneThisYear ? `<p>Необъективность: ${zone(zoneThisYear.objectivity)} · Низкие результаты: ${zone(zoneThisYear.lowResults)}${zoneThisYear.priority === 'ELEVATED' ? ' · <b>приоритет проверки повышен</b>' : ''}</p><p>${esc(zoneThisYear.explanationRu)}</p>` : '<p class="muted">Зоны за этот год ещё не рассчитаны.</p>'}
  <h3>Маркеры ${year}</h3>
  <div id="markers">${flagged.map((i) => `<p class="marker"><b>${esc(i.check)}</b> — ${esc(i.explanationRu)}</p>`).join('') || '<p class="muted">Маркеров нет.</p>'}</div>
  <h3>История зон</h3>
  <table><tr><th>Год</th><th>Необъективность</th><th>Низкие результаты</th><th>Маркеров</th><th>Лет подряд</th></tr>${history}</table>
  <h2>План мероприятий по результатам ${year} года</h2>
  ${
    plan && plan.measures.length
      ? `<table id="plan"><tr><th>№</th><th>Мероприятие</th><th>Срок</th><th>Ответственные</th><th>Статус</th><th>Основание</th></tr>${plan.measures
          .map((m, i) => `<tr><td>${i + 1}</td><td>${esc(m.titleRu)}${m.indication === 'NO_LONGER_INDICATED' ? ' <span class="muted">(больше не требуется)</span>' : ''}</td><td>${esc(m.dueDate)}${m.overdue ? ' <b>просрочено</b>' : ''}</td><td>${esc(m.responsible.join(', '))}</td><td>${esc(STATUS_RU[m.status] ?? m.status)}</td><td class="small">${esc(m.reasonRu)}</td></tr>`)
          .join('')}</table>`
      : '<p class="muted">Мероприятий нет.</p>'
  }`;
  return page(`Паспорт ОО — ${school.name}`, body);
}
