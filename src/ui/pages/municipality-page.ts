import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { RiskReadService, territoryBunching } from '../../risk';
import type { Municipality } from '../../territory/municipality.entity';
import { SCHOOL_TYPE_SHORT_RU, SchoolType } from '../../territory/enums';
import { ZoneLevel } from '../../risk/markers';
import { esc, page } from '../html';
import { schoolLabels, vprTrends } from './report-data';
import { territoryBunchingTable } from './territory-bunching-table';
import { sparkline } from './charts';
import { ZONE_LEVEL_RANK, ZONE_LEVEL_RU } from '../../risk/markers';


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
  const [info, trend] = await Promise.all([schoolLabels(em, ids), vprTrends(em, ids, years)]);
  // The municipality's own histograms: a pile-up common to all its schools is invisible in the ranking above.
  const territory = await territoryBunching(em, principal, municipality.region.id, year, municipality.code);

  const option = (value: string, label: string, selected: string | null) => `<option value="${esc(value)}"${value === (selected ?? '') ? ' selected' : ''}>${esc(label)}</option>`;
  const body = `
  <h1>${esc(municipality.name)}: ОО по зонам риска, ${year}</h1>
  <form class="filters" method="get">
    <label>Год <input name="year" type="number" value="${year}" style="width:6em"></label>
    <label>Зона не ниже <select name="zone">${option('', 'любая', filters.minZone)}${Object.values(ZoneLevel).map((z) => option(z, ZONE_LEVEL_RU[z], filters.minZone)).join('')}</select></label>
    <label>Тип ОО <select name="type">${option('', 'любой', filters.type)}${Object.values(SchoolType).map((t) => option(t, SCHOOL_TYPE_SHORT_RU[t], filters.type)).join('')}</select></label>
    <button>Показать</button>
  </form>
  <table id="ranking"><tr><th>Место</th><th>ОО</th><th>Тип</th><th>Необъективность</th><th>Низкие результаты</th><th>Маркеров</th><th>ВПР, % от макс., ${years[0]}–${year}</th></tr>
  ${rows
    .map(({ rank, zone }) => {
      const school = info.get(zone.schoolId);
      return `<tr data-school="${zone.schoolId}"><td>${rank}</td><td><a href="/pages/schools/${encodeURIComponent(school?.code ?? String(zone.schoolId))}?year=${year}">${esc(school?.name ?? zone.schoolId)}</a></td>
        <td>${esc(school?.type ? SCHOOL_TYPE_SHORT_RU[school.type] : '')}</td><td><span class="zone zone-${zone.objectivity}">${ZONE_LEVEL_RU[zone.objectivity]}</span></td>
        <td><span class="zone zone-${zone.lowResults}">${ZONE_LEVEL_RU[zone.lowResults]}</span></td><td>${zone.objectivityDetail.markerCount + zone.lowResultsDetail.markerCount}</td>
        <td>${sparkline(trend(zone.schoolId), years).html}</td></tr>`;
    })
    .join('')}
  </table>
  ${territoryBunchingTable('territory-bunching', 'Скопление работ у границ отметок по муниципалитету', territory)}
  <p class="small muted">Всего ОО в списке: ${rows.length}. Зоны рассчитаны по методике риска v2 (совокупность признаков против разброса честных школ; «нет данных» и «данных недостаточно» — ничего не утверждается); условия проведения повышают приоритет проверки, но не являются доказательством.</p>`;
  return page(`${municipality.name} — зоны риска ${year}`, body);
}

const order = (level: string) => ZONE_LEVEL_RANK[level as ZoneLevel] ?? -3;
