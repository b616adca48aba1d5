/**
 * "Is this text a plain decimal number?" — `[+-]? (digits [. [digits]] | . digits) [(e|E) [+-] digits]`,
 * the shape a CSV cell or a JSON string may give a number in — by one left-to-right scan.
 *
 * It replaces the regex /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/, whose `\d+\.?\d*` can split a
 * run of digits between its two quantifiers in n ways: on a long run of digits followed by a letter
 * the engine tried them all (40,000 digits and an "x" took 2 s; a 10 MB request would take hours).
 * A scan looks at each character once. Digits are ASCII only, as `\d` was.
 */

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isPlainNumber(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) i++;
  let digits = 0;
  while (i < n && isDigit(s.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i === n) return true;
  c = s.charCodeAt(i);
  if (c !== 101 && c !== 69) return false;
  i++;
  c = s.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  if (i >= n) return false;
  for (; i < n; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}
