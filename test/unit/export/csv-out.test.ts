import { describe, expect, it } from 'vitest';
import { csvField, csvLine, neutralizeCell, predictionsCsv } from '../../../src/core/export/csv-out.ts';

describe('neutralizeCell', () => {
  it('quotes cells a spreadsheet would run as formulas', () => {
    for (const s of ['=1+1', '+1+2', '-2+3', '@SUM(A1:A2)', '\tcmd', '\rcmd', '=HYPERLINK("http://x","y")', '-', '+']) {
      expect(neutralizeCell(s)).toBe(`'${s}`);
    }
  });
  it('leaves plain numbers and ordinary text alone', () => {
    for (const s of ['-12.5', '+3', '-1e-3', '0.25', 'male', 'a=b', 'x-y', '', ' =not first']) expect(neutralizeCell(s)).toBe(s);
  });
});

describe('CSV fields', () => {
  it('quotes delimiters, quotes, line breaks and surrounding spaces', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('plain')).toBe('plain');
    expect(csvLine(['=cmd|"/c calc"!A0', 'ok'])).toBe(`"'=cmd|""/c calc""!A0",ok`);
  });
});

describe('predictionsCsv', () => {
  it('adds the prediction and per-class probabilities, neutralised, and keeps unscored rows empty', () => {
    const cells = [
      ['=2+5', 'Oslo'],
      ['-3', '@home'],
    ];
    const csv = predictionsCsv({
      header: ['x', 'prediction'],
      cells: (r) => cells[r],
      rows: 2,
      predictions: [{ label: '=bad', probabilities: { '=bad': 0.75, ok: 0.25 } }, null],
      task: 'binary',
      classes: ['=bad', 'ok'],
    });
    expect(csv).toBe(['x,prediction,_prediction,proba_=bad,proba_ok', "'=2+5,Oslo,'=bad,0.75,0.25", "-3,'@home,,,", ''].join('\r\n'));
  });
  it('writes regression values as plain (possibly negative) numbers', () => {
    const csv = predictionsCsv({ header: ['a'], cells: () => ['1'], rows: 1, predictions: [{ value: -4.5 }], task: 'regression', classes: [] });
    expect(csv).toBe('a,prediction\r\n1,-4.5\r\n');
  });
});
