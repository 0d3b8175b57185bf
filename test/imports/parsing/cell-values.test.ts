import {
  INVALID,
  decimalsWritten,
  isNoMark,
  isNotDoneMarker,
  parseDecimal,
  parseGrade,
  parsePercent,
  parseProcedure,
  parseYear,
  parseYesNo,
} from '../../../src/imports/parsing/cell-values';

describe('cell values', () => {
  it('reads decimal commas, points and thousands spaces', () => {
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal(' 7.25 ')).toBe(7.25);
    expect(parseDecimal('1 234,5')).toBe(1234.5);
    expect(parseDecimal('1\u00a0234')).toBe(1234);
    expect(parseDecimal('-3')).toBe(-3);
    expect(parseDecimal('17')).toBe(17);
    expect(parseDecimal(4)).toBe(4);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal(null)).toBeNull();
  });

  it('refuses what is not one number', () => {
    for (const text of ['abc', '1,2,3', '1.234,5', '12,5б', '0x10', '1e3', '--1']) expect(parseDecimal(text)).toBe(INVALID);
  });

  it('reads percentages with or without the sign and tells how many decimals were written', () => {
    expect(parsePercent('33,3 %')).toBe(33.3);
    expect(parsePercent('33,3%')).toBe(33.3);
    expect(decimalsWritten('12,50')).toBe(2);
    expect(decimalsWritten('25')).toBe(0);
    expect(decimalsWritten(12.5)).toBe(1);
  });

  it('keeps "not done" apart from zero and recognises "нет отметки"', () => {
    for (const marker of ['X', 'x', 'Х', 'х', '-', '—']) expect(isNotDoneMarker(marker)).toBe(true);
    expect(isNotDoneMarker('0')).toBe(false);
    expect(isNoMark('Нет  отметки')).toBe(true);
    expect(isNoMark('3')).toBe(false);
  });

  it('reads years, school years and grades', () => {
    expect(parseYear('2024')).toBe(2024);
    expect(parseYear('2023/2024')).toBe(2024);
    expect(parseYear('2023-24')).toBe(2024);
    expect(parseYear('2023/2025')).toBe(INVALID);
    expect(parseYear('24')).toBe(INVALID);
    expect(parseGrade('4А')).toBe(4);
    expect(parseGrade('11 Б')).toBe(11);
    expect(parseGrade('9 класс')).toBe(9);
    expect(parseGrade('четвёртый')).toBe(INVALID);
  });

  it('reads да/нет and procedure names', () => {
    expect(parseYesNo('Да')).toBe(true);
    expect(parseYesNo('отсутствует')).toBe(false);
    expect(parseYesNo('может быть')).toBe(INVALID);
    expect(parseProcedure('ВПР')).toBe('VPR');
    expect(parseProcedure('гвэ-11')).toBe('GVE');
    expect(parseProcedure('ЕГЭ')).toBe('EGE');
    expect(parseProcedure('экзамен')).toBe(INVALID);
  });
});
