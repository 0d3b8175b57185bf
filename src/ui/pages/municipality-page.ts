import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { RiskReadService } from '../../risk/graphql/risk-read.service';
import type { Municipality } from '../../schools/municipality.entity';
import { SchoolType } from '../../schools/enums';
import { ZoneLevel } from '../../risk/markers';
import { intArrayLiteral } from '../../shared/sql';
import { esc, page } from '../html';
import { territoryBunching } from '../../risk/territory/territory-bunching';
import { territoryBunchingTable } from './territory-bunching-table';
import { sparkline } from './charts';
import { ZONE_LEVEL_RANK, ZONE_LEVEL_RU } from '../../risk/markers';

const ZONE_RU: Record<string, string> = ZONE_LEVEL_RU;
const TYPE_RU: Record<string, string> = { NOSH: 'НОШ', OOSH: 'ООШ', SOSH: 'СОШ', LYCEUM: 'лицей', GYMNASIUM: 'гимназия', OTHER: 'иное' };

export interface OverviewFilters {
  year: number;
  minZone: ZoneLevel | null;
  type: SchoolType | null;
}

/** Municipality overview: schools ranked by zone, with three-year ВПР trends, filters and links to each school's page. */
export async function municipalityPage(em: EntityManager, principal: Principal, municipality: Municipality, filters: OverviewFilters): Promise<string> {
  const { year } = filters;
  const years = [year - 2, year - 1, year];
  const ranking = await new RiskReadService(em, principal).ranking(
    { year, municipalityCodes: [municipality.code], types: filters.type ? [filters.type] : null, minObjectivity: null, minLowResults: null, marker: null },
    1000,
    null,
  );
  const rows = ranking.rows.filter(({ zone }) => !filters.minZone || [zone.objectivity, zone.lowResults].some((z) => order(z) >= order(filters.minZone!)));
  const ids = rows.map((r) => r.zone.schoolId);
  const knex = em.getKnex();
  const [names, trends] = ids.length
    ? await Promise.all([
        knex.raw(`select s.id, s.name, s.type, (select value from school_alias a where a.school_id = s.id order by a.kind, a.value limit 1) as code from school s where s.id = any(?::int[])`, [intArrayLiteral(ids)]),
        knex.raw(
          `select sr.school_id, sr.year, sum(sr.mean_percent * sr.participants) / nullif(sum(sr.participants), 0) as value
           from school_result sr join assessment a on a.id = sr.assessment_id
           where sr.school_id = any(?::int[]) and a.procedure = 'VPR' and sr.year between ? and ? group by sr.school_id, sr.year`,
          [intArrayLiteral(ids), years[0], year],
        ),
      ])
    : [{ rows: [] }, { rows: [] }];
  const info = new Map(names.rows.map((r: any) => [r.id, r]));
  // The municipality's own histograms: a pile-up common to all its schools is invisible in the ranking above.
  const territory = await territoryBunching(em, principal, municipality.region.id, year, municipality.code);
  const trend = (id: number) => years.map((y) => trends.rows.find((t: any) => t.school_id === id && t.year === y)?.value ?? null);

  const option = (value: string, label: string, selected: string | null) => `<option value="${esc(value)}"${value === (selected ?? '') ? ' selected' : ''}>${esc(label)}</option>`;
  const body = `
  <h1>${esc(municipality.name)}: ОО по зонам риска, ${year}</h1>
  <form class="filters" method="get">
    <label>Год <input name="year" type="number" value="${year}" style="width:6em"></label>
    <label>Зона не ниже <select name="zone">${option('', 'любая', filters.minZone)}${Object.keys(ZONE_RU).map((z) => option(z, ZONE_RU[z], filters.minZone)).join('')}</select></label>
    <label>Тип ОО <select name="type">${option('', 'любой', filters.type)}${Object.keys(TYPE_RU).map((t) => option(t, TYPE_RU[t], filters.type)).join('')}</select></label>
    <button>Показать</button>
  </form>
  <table id="ranking"><tr><th>Место</th><th>ОО</th><th>Тип</th><th>Необъективность</th><th>Низкие результаты</th><th>Маркеров</th><th>ВПР, % от макс., ${years[0]}–${year}</th></tr>
  ${rows
    .map(({ rank, zone }) => {
      const school: any = info.get(zone.schoolId);
      return `<tr data-school="${zone.schoolId}"><td>${rank}</td><td><a href="/pages/schools/${encodeURIComponent(school?.code ?? String(zone.schoolId))}?year=${year}">${esc(school?.name ?? zone.schoolId)}</a></td>
        <td>${esc(TYPE_RU[school?.type] ?? '')}</td><td><span class="zone zone-${zone.objectivity}">${ZONE_RU[zone.objectivity]}</span></td>
        <td><span class="zone zone-${zone.lowResults}">${ZONE_RU[zone.lowResults]}</span></td><td>${zone.objectivityDetail.markerCount + zone.lowResultsDetail.markerCount}</td>
        <td>${sparkline(trend(zone.schoolId), years).html}</td></tr>`;
    })
    .join('')}
  </table>
  ${territoryBunchingTable('territory-bunching', 'Скопление работ у границ отметок по муниципалитету', territory)}
  <p class="small muted">Всего ОО в списке: ${rows.length}. Зоны рассчитаны по методике риска v2 (совокупность признаков против разброса честных школ; «нет данных» и «данных недостаточно» — ничего не утверждается); условия проведения повышают приоритет проверки, но не являются доказательством.</p>`;
  return page(`${municipality.name} — зоны риска ${year}`, body);
}

const order = (level: string) => ZONE_LEVEL_RANK[level as ZoneLevel] ?? -3;
