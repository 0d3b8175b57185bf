import { arrayLiteral, copyText, intArrayLiteral } from '../../src/shared/sql';

/** The one home of SQL text helpers: COPY escaping and array literals (every COPY and raw query relies on them). */
describe('SQL text helpers', () => {
  it('escapes backslash, tab and line breaks for COPY text, and leaves other text as it is', () => {
    expect(copyText('Школа №1')).toBe('Школа №1');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('\\N')).toBe('\\\\N');
  });

  it('quotes text in array literals, keeps numbers bare and NULL for null', () => {
    expect(arrayLiteral([1, null, 2.5])).toBe('{1,NULL,2.5}');
    expect(arrayLiteral(['QUEUED', 'a,b', 'say "hi"', 'back\\slash'])).toBe('{"QUEUED","a,b","say \\"hi\\"","back\\\\slash"}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('refuses anything but integers in an integer array literal', () => {
    expect(intArrayLiteral([1, 2, 3])).toBe('{1,2,3}');
    expect(() => intArrayLiteral([1, 2.5])).toThrow(TypeError);
    expect(() => intArrayLiteral([Number.NaN])).toThrow(TypeError);
  });
});
