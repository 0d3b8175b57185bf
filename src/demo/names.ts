/**
 * Invented but plausible Russian names for the demo region: municipalities, their centres, villages and schools.
 * Any resemblance to a real municipality is accidental; none of these is meant to be a real place.
 */
import type { SchoolType } from './types';

export const REGION_NAME = 'Заозёрская область';

export interface MunicipalityName {
  name: string;
  /** The centre as used in school names: 'г. Заречный', 'пгт Верхнелесье'. */
  centre: string;
  centreType: 'город' | 'пгт';
}

export const CITY_DISTRICTS: MunicipalityName[] = [
  { name: 'Заречный городской округ', centre: 'г. Заречный', centreType: 'город' },
  { name: 'Городской округ Новоозёрск', centre: 'г. Новоозёрск', centreType: 'город' },
  { name: 'Светлогорский городской округ', centre: 'г. Светлогорск', centreType: 'город' },
  { name: 'Городской округ Каменск-Северный', centre: 'г. Каменск-Северный', centreType: 'город' },
  { name: 'Приречный городской округ', centre: 'г. Приречный', centreType: 'город' },
  { name: 'Городской округ Соколовск', centre: 'г. Соколовск', centreType: 'город' },
  { name: 'Березниковский городской округ', centre: 'г. Березники-Озёрные', centreType: 'город' },
  { name: 'Городской округ Рудногорск', centre: 'г. Рудногорск', centreType: 'город' },
];

export const RURAL_DISTRICTS: MunicipalityName[] = [
  { name: 'Красноборский муниципальный округ', centre: 'г. Краснобор', centreType: 'город' },
  { name: 'Верхнелесский муниципальный район', centre: 'пгт Верхнелесье', centreType: 'пгт' },
  { name: 'Ольшанский муниципальный округ', centre: 'г. Ольшанск', centreType: 'город' },
  { name: 'Тихореченский муниципальный район', centre: 'пгт Тихоречье', centreType: 'пгт' },
  { name: 'Белоключевский муниципальный округ', centre: 'пгт Белый Ключ', centreType: 'пгт' },
  { name: 'Сосновоборский муниципальный район', centre: 'г. Сосновый Бор', centreType: 'город' },
  { name: 'Моховской муниципальный округ', centre: 'пгт Моховое', centreType: 'пгт' },
  { name: 'Чистопрудненский муниципальный район', centre: 'пгт Чистые Пруды', centreType: 'пгт' },
  { name: 'Луговской муниципальный округ', centre: 'пгт Луговой', centreType: 'пгт' },
  { name: 'Кедровский муниципальный район', centre: 'пгт Кедровый', centreType: 'пгт' },
  { name: 'Старопольский муниципальный округ', centre: 'г. Старополье', centreType: 'город' },
  { name: 'Ясногорский муниципальный район', centre: 'пгт Ясногорье', centreType: 'пгт' },
  { name: 'Глубоковский муниципальный округ', centre: 'пгт Глубокое', centreType: 'пгт' },
  { name: 'Озёрнинский муниципальный район', centre: 'пгт Озёрный', centreType: 'пгт' },
  { name: 'Боровлянский муниципальный округ', centre: 'пгт Боровлянка', centreType: 'пгт' },
  { name: 'Зеленодольский муниципальный район', centre: 'г. Зеленодольск-Северный', centreType: 'город' },
  { name: 'Высокогорский муниципальный округ', centre: 'пгт Высокая Гора', centreType: 'пгт' },
  { name: 'Речинский муниципальный район', centre: 'пгт Речица', centreType: 'пгт' },
  { name: 'Дубравинский муниципальный округ', centre: 'пгт Дубрава', centreType: 'пгт' },
  { name: 'Калиновский муниципальный район', centre: 'пгт Калиново', centreType: 'пгт' },
];

/** Villages: [name of the settlement, adjective used in the school's name]. */
export const VILLAGES: [string, string][] = [
  ['Ольховка', 'Ольховская'], ['Сосновка', 'Сосновская'], ['Берёзовка', 'Берёзовская'], ['Малиновка', 'Малиновская'],
  ['Каменка', 'Каменская'], ['Покровское', 'Покровская'], ['Никольское', 'Никольская'], ['Троицкое', 'Троицкая'],
  ['Воскресенское', 'Воскресенская'], ['Ильинское', 'Ильинская'], ['Петровское', 'Петровская'], ['Михайловка', 'Михайловская'],
  ['Александровка', 'Александровская'], ['Знаменка', 'Знаменская'], ['Успенка', 'Успенская'], ['Рождествено', 'Рождественская'],
  ['Луговое', 'Луговская'], ['Полевое', 'Полевская'], ['Заозерье', 'Заозерская'], ['Подгорное', 'Подгорненская'],
  ['Высокое', 'Высоковская'], ['Красный Яр', 'Красноярская'], ['Черемшанка', 'Черемшанская'], ['Ключи', 'Ключевская'],
  ['Осиновка', 'Осиновская'], ['Липовка', 'Липовская'], ['Рябиновка', 'Рябиновская'], ['Калиновка', 'Калиновская'],
  ['Дубровка', 'Дубровская'], ['Ивановка', 'Ивановская'], ['Елань', 'Еланская'], ['Кедровка', 'Кедровская'],
  ['Пихтовка', 'Пихтовская'], ['Ягодное', 'Ягодненская'], ['Озёрки', 'Озёрковская'], ['Лесное', 'Лесновская'],
  ['Борки', 'Борковская'], ['Горки', 'Горковская'], ['Слобода', 'Слободская'], ['Новосёлки', 'Новосёлковская'],
  ['Старая Деревня', 'Стародеревенская'], ['Устье', 'Устьинская'], ['Заречье', 'Заречинская'], ['Погост', 'Погостская'],
  ['Бугры', 'Бугровская'], ['Медведево', 'Медведевская'], ['Журавлёво', 'Журавлёвская'], ['Лебяжье', 'Лебяжинская'],
  ['Соколово', 'Соколовская'], ['Вязовка', 'Вязовская'], ['Кленовка', 'Кленовская'], ['Ракитное', 'Ракитинская'],
  ['Тополёвка', 'Тополёвская'], ['Криуши', 'Криушинская'], ['Мшанка', 'Мшанская'], ['Хмелёвка', 'Хмелёвская'],
  ['Гремячево', 'Гремяченская'], ['Студёное', 'Студёновская'], ['Ржавец', 'Ржавецкая'], ['Песчанка', 'Песчанская'],
  ['Глинки', 'Глинковская'], ['Чернава', 'Чернавская'], ['Новоникольское', 'Новоникольская'], ['Верхняя Ельня', 'Верхнеельнинская'],
];

const TYPE_ABBREVIATION: Record<SchoolType, string> = {
  NOSH: 'НОШ',
  OOSH: 'ООШ',
  SOSH: 'СОШ',
  LYCEUM: 'Лицей',
  GYMNASIUM: 'Гимназия',
};

/**
 * Town schools are numbered and named after the town («МБОУ СОШ № 3 г. Заречный»); autonomous (МАОУ) status
 * is typical of lyceums and gymnasiums.
 */
export function urbanSchoolName(type: SchoolType, number: number, inDepthStudy: boolean, centre: string): string {
  if (type === 'LYCEUM' || type === 'GYMNASIUM') return `МАОУ «${TYPE_ABBREVIATION[type]} № ${number}» ${centre}`;
  if (type === 'SOSH' && inDepthStudy) return `МБОУ «СОШ № ${number} с углублённым изучением отдельных предметов» ${centre}`;
  return `МБОУ ${TYPE_ABBREVIATION[type]} № ${number} ${centre}`;
}

/** Village schools carry the village's adjective; small ones are usually казённые (МКОУ). */
export function ruralSchoolName(type: SchoolType, villageAdjective: string, small: boolean, duplicate: number): string {
  const suffix = duplicate > 1 ? ` № ${duplicate}` : '';
  return `${small ? 'МКОУ' : 'МБОУ'} «${villageAdjective} ${TYPE_ABBREVIATION[type]}${suffix}»`;
}
