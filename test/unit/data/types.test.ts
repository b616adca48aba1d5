/** Column type inference and missing-value decisions (infer.ts), on small hand-made files. */
import { describe, expect, it } from 'vitest';
import { cells, col, ingestText, numbers, types } from './helpers.ts';

function csv(header: string, rows: string[]): string {
  return `${header}\n${rows.join('\n')}\n`;
}
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

describe('numbers', () => {
  it('int, float, sign, exponent, spaces around; 0/1 stays numeric', async () => {
    const r = await ingestText(csv('x,flag', ['1,0', '-2.5,1', ' 3 ,1', '1e3,0', '.5,1', '+7,0', '-0.125,1']));
    expect(types(r)).toEqual({ x: 'numeric', flag: 'numeric' });
    expect(numbers(r.frame, 'x')).toEqual([1, -2.5, 3, 1000, 0.5, 7, -0.125]);
  });

  it('a few stray text values (<= 1 %) become missing with a stray-text warning naming count and first line', async () => {
    const rows = range(300, (i) => `${i * 1.5}`);
    rows[120] = 'n/a!';
    rows[200] = '#REF!';
    const r = await ingestText(csv('price', rows));
    expect(types(r).price).toBe('numeric');
    expect(r.profile.columns[0].missing).toBe(2);
    const w = r.profile.warnings.find((x) => x.kind === 'stray-text')!;
    expect(w.column).toBe('price');
    expect(w.message).toBe('price is numeric but 2 value(s) are not numbers (first: "n/a!" on line 122); they are read as missing.');
  });

  it('more than 1 % text is not numeric', async () => {
    const rows = range(100, (i) => (i % 10 === 0 ? 'unknown' : `${i}`));
    const r = await ingestText(csv('v', rows));
    expect(types(r).v).toBe('categorical');
    expect(cells(r.frame, 'v').slice(0, 2)).toEqual(['unknown', '1']);
  });

  it('a junk first value does not stop a long numeric column from being numeric', async () => {
    const rows = ['oops', ...range(10_000, (i) => `${i}.25`)];
    const r = await ingestText(csv('v', rows));
    expect(types(r).v).toBe('numeric');
    expect(numbers(r.frame, 'v')[1]).toBe(0.25);
    expect(r.profile.warnings.find((w) => w.kind === 'stray-text')?.message).toMatch(/1 value\(s\).*"oops" on line 2/);
  });

  it('thousands separators only when unambiguous', async () => {
    const sure = await ingestText(csv('amount', ['"1,234"', '"12,345,678"', '999', '"2,000"']));
    expect(numbers(sure.frame, 'amount')).toEqual([1234, 12345678, 999, 2000]);
    expect(sure.profile.columns[0].note).toMatch(/thousands separators/);
    const withDecimals = await ingestText(csv('amount', ['"1,234"', '5.5', '"2,000"']));
    expect(numbers(withDecimals.frame, 'amount')).toEqual([1234, 5.5, 2000]);
    // 1,234 could be 1.234 with a decimal comma: left as text.
    const unsure = await ingestText(csv('amount', ['"1,234"', '"2,500"', '"3,000"']));
    expect(types(unsure).amount).toBe('categorical');
  });

  it('zero-padded codes stay text categories with a numeric-code warning; a rare padded value is just a number', async () => {
    const codes = await ingestText(csv('MS SubClass', ['020', '060', '120', '020', '190', '060', ...range(30, () => '020')]));
    expect(types(codes)['MS SubClass']).toBe('categorical');
    const c = col(codes.frame, 'MS SubClass');
    expect(c.storage === 'categorical' && c.levels).toEqual(['020', '060', '120', '190']);
    expect(codes.profile.warnings).toContainEqual(expect.objectContaining({ column: 'MS SubClass', kind: 'numeric-code' }));
    const rare = await ingestText(csv('h', ['05', ...range(60, (i) => `${(i % 30) + 10}`)]));
    expect(types(rare).h).toBe('numeric');
    expect(numbers(rare.frame, 'h')[0]).toBe(5);
    expect(rare.profile.columns[0].note).toMatch(/leading zeros/);
    const ids = await ingestText(
      csv(
        'zip',
        range(40, (i) => `0${1000 + i}`),
      ),
    );
    expect(types(ids).zip).toBe('identifier');
    expect(cells(ids.frame, 'zip')[0]).toBe('01000');
  });
});

describe('missing-value tokens', () => {
  it("NA in a numeric column is missing; then NA is this file's marker in text columns too", async () => {
    const r = await ingestText(csv('x,cat', ['1,a', 'NA,NA', '3,b', '4,a']));
    expect(types(r).x).toBe('numeric');
    expect(numbers(r.frame, 'x')[1]).toBeNaN();
    expect(cells(r.frame, 'cat')).toEqual(['a', '', 'b', 'a']);
    expect(r.profile.columns[1].missingTokens).toEqual(['NA']);
  });

  it('NA is a kept level when the file marks missing values with empty cells (ames style)', async () => {
    const r = await ingestText(csv('area,alley', ['100,NA', ',Pave', '80,NA', '90,Grvl']));
    expect(cells(r.frame, 'alley')).toEqual(['NA', 'Pave', 'NA', 'Grvl']);
    const p = r.profile.columns[1];
    expect(p.missing).toBe(0);
    expect(p.note).toMatch(/"NA" \(2 cells\) is kept as a level/);
    expect(r.profile.columns[0].missingTokens).toEqual(['']);
  });

  it('with no evidence either way, NA, null, ? are missing (the common convention)', async () => {
    const r = await ingestText(csv('a,b', ['x,?', 'NA,y', 'null,y', 'N/A,z']));
    expect(cells(r.frame, 'a')).toEqual(['x', '', '', '']);
    expect(r.profile.columns[0].missingTokens?.sort()).toEqual(['N/A', 'NA', 'null']);
    expect(cells(r.frame, 'b')).toEqual(['', 'y', 'y', 'z']);
  });

  it('whitespace-only cells are missing; surrounding spaces are trimmed from values (and noted)', async () => {
    const r = await ingestText(csv('TotalCharges,Partner', ['29.85, Yes', ' ,No ', '108.15,Yes']));
    expect(types(r)).toEqual({ TotalCharges: 'numeric', Partner: 'boolean' });
    expect(r.profile.columns[0].missing).toBe(1);
    expect(cells(r.frame, 'Partner')).toEqual(['Yes', 'No', 'Yes']);
    expect(r.profile.columns[1].note).toMatch(/spaces around/);
  });
});

describe('other types', () => {
  it('booleans: true/false, yes/no, y/n, t/f in any case, false first', async () => {
    const r = await ingestText(csv('a,b,c,d,e', ['TRUE,yes,Y,t,1', 'False,No,N,f,0', 'TRUE,yes,,t,1']));
    expect(types(r)).toEqual({ a: 'boolean', b: 'boolean', c: 'boolean', d: 'boolean', e: 'numeric' });
    const b = col(r.frame, 'b');
    expect(b.storage === 'categorical' && [b.levels, Array.from(b.codes)]).toEqual([
      ['No', 'yes'],
      [1, 0, 1],
    ]);
    expect(r.profile.columns[2].missing).toBe(1);
  });

  it('datetimes: ISO dates and times with offsets', async () => {
    const r = await ingestText(csv('day,at', ['2021-03-04,2021-03-04T10:22:05Z', '2020-02-29,2021-03-04 10:22:05.5+02:00', ',2021-03-04T00:00']));
    expect(types(r)).toEqual({ day: 'datetime', at: 'datetime' });
    expect(numbers(r.frame, 'day').slice(0, 2)).toEqual([Date.UTC(2021, 2, 4), Date.UTC(2020, 1, 29)]);
    expect(numbers(r.frame, 'day')[2]).toBeNaN();
    expect(numbers(r.frame, 'at')).toEqual([Date.UTC(2021, 2, 4, 10, 22, 5), Date.UTC(2021, 2, 4, 8, 22, 5, 500), Date.UTC(2021, 2, 4)]);
    expect(r.profile.columns[0].numeric?.min).toBe(Date.UTC(2020, 1, 29));
  });

  it('datetimes: day/month/year when a day is over 12, month/day/year when a second part is, month first when nothing decides', async () => {
    const dmy = await ingestText(csv('d', ['04/03/2021', '25/12/2021', '1.2.2020']));
    expect(numbers(dmy.frame, 'd')).toEqual([Date.UTC(2021, 2, 4), Date.UTC(2021, 11, 25), Date.UTC(2020, 1, 1)]);
    expect(dmy.profile.columns[0].note).toMatch(/day\/month\/year/);
    const mdy = await ingestText(csv('d', ['04/03/2021', '12/25/2021 13:45']));
    expect(numbers(mdy.frame, 'd')).toEqual([Date.UTC(2021, 3, 3), Date.UTC(2021, 11, 25, 13, 45)]);
    const unsure = await ingestText(csv('d', ['04/03/2021', '01/02/2021']));
    expect(numbers(unsure.frame, 'd')[0]).toBe(Date.UTC(2021, 3, 3));
    expect(unsure.profile.columns[0].note).toMatch(/ambiguous|could be day\/month or month\/day/);
    const clash = await ingestText(csv('d', ['25/03/2021', '03/25/2021']));
    expect(types(clash).d).toBe('categorical');
    const impossible = await ingestText(csv('d', ['2021-02-30', '2021-03-01']));
    expect(types(impossible).d).toBe('categorical');
  });

  it('identifier, text and categorical', async () => {
    const n = 60;
    const r = await ingestText(
      csv(
        'customerID,comment,plan,row',
        range(n, (i) => `C-${1000 + i},"This customer number ${i} wrote a long comment",${['basic', 'pro'][i % 2]},${i + 1}`),
      ),
    );
    expect(types(r)).toEqual({ customerID: 'identifier', comment: 'text', plan: 'categorical', row: 'identifier' });
    expect(cells(r.frame, 'row')[5]).toBe('6');
    // A year per row is unique and increasing, but not a row number.
    const years = await ingestText(
      csv(
        'year,sales',
        range(30, (i) => `${1990 + i},${i * 3}`),
      ),
    );
    expect(types(years)).toEqual({ year: 'numeric', sales: 'numeric' });
    // Unique whole numbers that do not run like row numbers stay numeric (with an id-like warning).
    const shuffled = await ingestText(
      csv(
        'v',
        range(40, (i) => `${(i * 7919) % 100_003}`),
      ),
    );
    expect(types(shuffled).v).toBe('numeric');
    expect(shuffled.profile.warnings.map((w) => w.kind)).toContain('id-like');
  });

  it("a column mixing numbers and words keeps the numbers' text as levels", async () => {
    const r = await ingestText(csv('size', ['1', '2', 'XL', '10', 'XL', '2', '1.50']));
    expect(types(r).size).toBe('categorical');
    const c = col(r.frame, 'size');
    expect(c.storage === 'categorical' && c.levels).toEqual(['1', '1.5', '2', '10', 'XL']);
  });

  it('an all-empty column is typed without crashing and flagged', async () => {
    const r = await ingestText(csv('a,empty', ['1,', '2,', '3,']));
    expect(r.profile.columns[1]).toMatchObject({ missing: 3, distinct: 0 });
    expect(r.profile.warnings.filter((w) => w.column === 'empty').map((w) => w.kind)).toEqual(['constant', 'heavy-missing']);
  });
});
