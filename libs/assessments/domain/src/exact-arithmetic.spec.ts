import { add, divide, formatFraction, fraction, fromDecimal, multiply, roundHalfAwayFromZero, subtract, terminatingDecimal, truncatedDecimal } from './exact-arithmetic';

describe('exact arithmetic for explanations', () => {
  it('keeps fractions reduced with a positive denominator', () => {
    expect(fraction(58n, 24n)).toEqual({ numerator: 29n, denominator: 12n });
    expect(fraction(3n, -6n)).toEqual({ numerator: -1n, denominator: 2n });
    expect(fraction(0n, 7n)).toEqual({ numerator: 0n, denominator: 1n });
    expect(() => fraction(1n, 0n)).toThrow(RangeError);
  });

  it('reads a number as the decimal it is written as', () => {
    expect([fromDecimal(1.5), fromDecimal(0.1), fromDecimal(2.67), fromDecimal(3), fromDecimal(1e-7), fromDecimal(-1.005)]).toEqual([
      fraction(3n, 2n),
      fraction(1n, 10n),
      fraction(267n, 100n),
      fraction(3n),
      fraction(1n, 10_000_000n),
      fraction(-201n, 200n),
    ]);
    expect(() => fromDecimal(Number.NaN)).toThrow(RangeError);
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    // (29/14 + 20/7 + 31/10) / 3 = 281/105 (2.676…): what a calculator reproduces, unlike the rounded 2.07, 2.86 and 3.1
    const mean = divide(add(add(fraction(29n, 14n), fraction(20n, 7n)), fraction(31n, 10n)), fraction(3n));
    expect(formatFraction(mean)).toBe('281/105');
    expect(truncatedDecimal(mean, 7)).toBe('2.6761904');
    expect(formatFraction(subtract(fraction(33n, 8n), fraction(41n, 24n)))).toBe('29/12');
    expect(formatFraction(multiply(fromDecimal(1.5), fraction(2n, 3n)))).toBe('1');
  });

  it('prints decimals whole when they end and cut off when they do not', () => {
    expect([terminatingDecimal(fraction(33n, 8n)), terminatingDecimal(fraction(3n, 2n)), terminatingDecimal(fraction(7n)), terminatingDecimal(fraction(1n, 3n))]).toEqual(['4.125', '1.5', '7', null]);
    expect(terminatingDecimal(fraction(-1n, 40n))).toBe('-0.025');
    expect(truncatedDecimal(fraction(1123n, 420n), 7)).toBe('2.6738095');
    expect(truncatedDecimal(fraction(2n, 3n), 4)).toBe('0.6666');
  });

  it('rounds half away from zero, as the scoring algorithm reports', () => {
    const rounded = (n: bigint, d: bigint) => terminatingDecimal(roundHalfAwayFromZero(fraction(n, d), 2));
    expect([rounded(33n, 8n), rounded(1123n, 420n), rounded(1n, 3n), rounded(2n, 3n), rounded(-201n, 200n), rounded(5n, 1n), rounded(-1n, 1000n)]).toEqual([
      '4.13',
      '2.67',
      '0.33',
      '0.67',
      '-1.01',
      '5',
      '0',
    ]);
  });
});
