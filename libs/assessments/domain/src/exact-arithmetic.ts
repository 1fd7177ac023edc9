/**
 * Exact rational numbers, for explanations only: scoring computes in binary floating point, but
 * what an explanation prints must come out the same on an auditor's calculator, so its terms and
 * results are printed as exact fractions. Always reduced, with a positive denominator.
 * @example formatFraction(divide(fraction(29n), fraction(14n))) === '29/14'
 */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function fraction(numerator: bigint, denominator = 1n): Fraction {
  if (denominator === 0n) throw new RangeError('a fraction cannot have denominator 0');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/**
 * The exact value of a number as it is written in decimal (JavaScript's shortest form): a model
 * weight of 1.5 is 3/2, and 0.1 is 1/10, not the binary double nearest to it.
 */
export function fromDecimal(value: number | string): Fraction {
  const text = String(value);
  const match = /^(-)?(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new RangeError(`${text} is not a finite decimal number`);
  const [, minus, whole, decimals = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - decimals.length;
  const digits = BigInt(`${minus ?? ''}${whole}${decimals}`);
  return exponent >= 0 ? fraction(digits * 10n ** BigInt(exponent)) : fraction(digits, 10n ** BigInt(-exponent));
}

export const add = (a: Fraction, b: Fraction): Fraction => fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
export const subtract = (a: Fraction, b: Fraction): Fraction => fraction(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);
export const multiply = (a: Fraction, b: Fraction): Fraction => fraction(a.numerator * b.numerator, a.denominator * b.denominator);
export const divide = (a: Fraction, b: Fraction): Fraction => fraction(a.numerator * b.denominator, a.denominator * b.numerator);

/** Negative, zero or positive as a is below, equal to or above b. */
export function compare(a: Fraction, b: Fraction): number {
  const difference = a.numerator * b.denominator - b.numerator * a.denominator;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export const sameValue = (a: Fraction, b: Fraction): boolean => compare(a, b) === 0;

/** `29/14`, or `3` for a whole number. */
export function formatFraction(value: Fraction): string {
  return value.denominator === 1n ? String(value.numerator) : `${value.numerator}/${value.denominator}`;
}

/** The decimal digits of |value| × 10^places, truncated, as text with the point put back. */
function decimalText(value: Fraction, places: number): string {
  const negative = value.numerator < 0n;
  const scaled = ((negative ? -value.numerator : value.numerator) * 10n ** BigInt(places)) / value.denominator;
  const digits = scaled.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const decimals = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${decimals ? `.${decimals}` : ''}`;
}

/** The whole decimal expansion when it ends (denominator of 2s and 5s only), e.g. `4.125`; otherwise null. */
export function terminatingDecimal(value: Fraction): string | null {
  let rest = value.denominator;
  let places = 0;
  while (rest % 10n === 0n) [rest, places] = [rest / 10n, places + 1];
  while (rest % 2n === 0n) [rest, places] = [rest / 2n, places + 1];
  while (rest % 5n === 0n) [rest, places] = [rest / 5n, places + 1];
  return rest === 1n ? decimalText(value, places) : null;
}

/** The first `places` decimals, cut off (not rounded): `2.6738095` for 1123/420 and 7 places. */
export function truncatedDecimal(value: Fraction, places: number): string {
  return decimalText(value, places);
}

/** Rounded to `places` decimals, a half going away from zero: 33/8 (4.125) becomes 4.13, -1.005 becomes -1.01. */
export function roundHalfAwayFromZero(value: Fraction, places: number): Fraction {
  const scale = 10n ** BigInt(places);
  const negative = value.numerator < 0n;
  const magnitude = (negative ? -value.numerator : value.numerator) * scale;
  const rounded = (2n * magnitude + value.denominator) / (2n * value.denominator);
  return fraction(negative ? -rounded : rounded, scale);
}
