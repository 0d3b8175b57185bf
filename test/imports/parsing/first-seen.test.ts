import { FirstSeen } from '../../../src/imports/parsing/fields';

describe('FirstSeen', () => {
  it('returns the row where a key was first seen', () => {
    const seen = new FirstSeen();
    expect(seen.checkPair('sch661234', '10001', 7)).toBeNull();
    expect(seen.checkPair('sch661235', '10001', 8)).toBeNull();
    expect(seen.checkPair('sch661234', '10001', 9)).toBe(7);
    expect(seen.check('P-00ff', 10)).toBeNull();
    expect(seen.check('P-00ff', 11)).toBe(10);
  });

  it('keeps the part boundary: ("ab", "c") is not ("a", "bc")', () => {
    const seen = new FirstSeen();
    expect(seen.checkPair('ab', 'c', 1)).toBeNull();
    expect(seen.checkPair('a', 'bc', 2)).toBeNull();
  });

  it('grows past its initial size without losing or confusing keys', () => {
    const seen = new FirstSeen();
    for (let i = 0; i < 50_000; i++) expect(seen.checkPair(`sch66${i % 700}`, String(100_000 + i), i + 1)).toBeNull();
    for (let i = 0; i < 50_000; i += 997) expect(seen.checkPair(`sch66${i % 700}`, String(100_000 + i), 999_999)).toBe(i + 1);
  });
});
