/**
 * Every shared dataset through the real reader (readCsvFile: fs stream → ingestCsv): row and column
 * counts from the manifest's README, the types and missing counts it documents, and the task its
 * target implies.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import type { IngestResult } from '../../../src/core/data/ingest.ts';
import { targetWarnings } from '../../../src/core/data/profile.ts';
import { targetIsClassification } from '../../../src/core/data/warnings.ts';
import { datasetPath, manifest } from '../../helpers/datasets.ts';
import { cells, col, types } from './helpers.ts';

const SHAPES: Record<string, [number, number]> = {
  adult: [48842, 15],
  bank_marketing: [45211, 17],
  german_credit: [1000, 21],
  pima_diabetes: [768, 9],
  titanic: [891, 12],
  telco_churn: [7043, 21],
  iris: [150, 5],
  penguins: [344, 7],
  letter: [20000, 17],
  california_housing: [20640, 10],
  ames_housing: [2930, 82],
  diamonds: [53940, 10],
  auto_mpg: [398, 9],
  insurance: [1338, 7],
  abalone: [4177, 9],
};

const cache = new Map<string, Promise<IngestResult>>();
function read(name: string): Promise<IngestResult> {
  if (!cache.has(name)) cache.set(name, readCsvFile(datasetPath(name)));
  return cache.get(name)!;
}

function profileOf(r: IngestResult, name: string) {
  const p = r.profile.columns.find((c) => c.name === name);
  if (!p) throw new Error(`no column ${name}`);
  return p;
}

function levels(r: IngestResult, name: string): string[] {
  const c = col(r.frame, name);
  if (c.storage !== 'categorical') throw new Error(`${name} is not categorical storage`);
  return c.levels;
}

describe('shared datasets', () => {
  it('the manifest lists the 15 documented datasets', () => {
    expect(
      manifest()
        .map((d) => d.name)
        .sort(),
    ).toEqual(Object.keys(SHAPES).sort());
  });

  for (const entry of manifest()) {
    it(`${entry.name}: shape, a clean read, the target's task`, async () => {
      const r = await read(entry.name);
      expect([r.frame.rows, r.frame.columns.length]).toEqual(SHAPES[entry.name]);
      expect(r.profile.rows).toBe(r.frame.rows);
      expect(r.profile.columns.map((c) => c.name)).toEqual(r.frame.columns.map((c) => c.name));
      expect(r.encoding).toBe('utf-8');
      expect(r.delimiter).toBe(',');
      // These files are well-formed: nothing to report about the reading itself.
      expect(r.notes).toEqual([]);
      for (const c of r.frame.columns) {
        const length = c.storage === 'numeric' ? c.values.length : c.codes.length;
        expect(length).toBe(r.frame.rows);
      }
      for (const id of entry.id_columns ?? []) expect(['identifier', 'text', 'categorical']).toContain(col(r.frame, id).type);
      expect(targetIsClassification(col(r.frame, entry.target))).toBe(entry.task !== 'regression');
    });
  }

  it('titanic: identifiers, quoted names with commas, Age missing 177', async () => {
    const r = await read('titanic');
    const t = types(r);
    expect(t.PassengerId).toBe('identifier');
    // Row numbers stay numbers (no level string per row); identifiers of text keep their levels.
    const id = col(r.frame, 'PassengerId');
    expect(id.storage === 'numeric' && id.values[0] === 1 && id.values[890] === 891).toBe(true);
    expect(r.profile.columns.find((c) => c.name === 'PassengerId')?.numeric).toMatchObject({ min: 1, max: 891 });
    expect(['identifier', 'text']).toContain(t.Name);
    expect(t.Sex).toBe('categorical');
    expect(t.Age).toBe('numeric');
    expect(t.Survived).toBe('numeric');
    expect(t.Ticket).toBe('categorical');
    expect(profileOf(r, 'Age').missing).toBe(177);
    expect(profileOf(r, 'Cabin').missing).toBe(687);
    expect(profileOf(r, 'Embarked').missing).toBe(2);
    expect(profileOf(r, 'Ticket').distinct).toBe(681);
    expect(levels(r, 'Name')).toContain('Braund, Mr. Owen Harris');
    expect(levels(r, 'Sex')).toEqual(['female', 'male']);
    const kinds = r.profile.warnings.map((w) => `${w.column}:${w.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['PassengerId:id-like', 'Ticket:id-like', 'Cabin:heavy-missing', 'Pclass:numeric-code']));
  });

  it('telco_churn: customerID identifier, TotalCharges numeric with its 11 blanks missing', async () => {
    const r = await read('telco_churn');
    const t = types(r);
    expect(t.customerID).toBe('identifier');
    expect(t.TotalCharges).toBe('numeric');
    expect(profileOf(r, 'TotalCharges').missing).toBe(11);
    expect(t.SeniorCitizen).toBe('numeric');
    expect(t.Churn).toBe('boolean');
    expect(levels(r, 'Churn')).toEqual(['No', 'Yes']);
    expect(t.MultipleLines).toBe('categorical');
    expect(r.profile.duplicateRows).toBe(22); // pandas: df.drop(columns='customerID').duplicated().sum()
  });

  it('ames_housing: BOM and CRLF, 82 columns, "NA" kept as a level, genuine blanks missing', async () => {
    const r = await read('ames_housing');
    const t = types(r);
    expect(r.frame.columns[0].name).toBe('Order');
    expect(t.Order).toBe('identifier');
    expect(t.PID).toBe('identifier');
    expect(levels(r, 'PID')[0]).toBe('0526301100');
    expect(t.SalePrice).toBe('numeric');
    expect(levels(r, 'Alley')).toEqual(['Grvl', 'NA', 'Pave']);
    const alley = profileOf(r, 'Alley');
    expect(alley.missing).toBe(0);
    expect(alley.topLevels?.[0]).toEqual({ level: 'NA', count: 2732 });
    expect(alley.note).toMatch(/"NA".*kept as a level/);
    expect(alley.missingTokens).not.toContain('NA');
    for (const name of [
      'Alley',
      'Bsmt Qual',
      'Bsmt Cond',
      'Bsmt Exposure',
      'BsmtFin Type 1',
      'BsmtFin Type 2',
      'Fireplace Qu',
      'Garage Type',
      'Garage Finish',
      'Garage Qual',
      'Garage Cond',
      'Pool QC',
      'Fence',
      'Misc Feature',
    ]) {
      expect(levels(r, name), name).toContain('NA');
    }
    expect(profileOf(r, 'Bsmt Qual').missing).toBe(1);
    expect(profileOf(r, 'Lot Frontage').missing).toBe(490);
    expect(profileOf(r, 'Garage Yr Blt').missing).toBe(159);
    expect(profileOf(r, 'Mas Vnr Type').missing).toBe(23);
    expect(levels(r, 'Mas Vnr Type')).toContain('None');
    expect(t['MS SubClass']).toBe('categorical');
    expect(levels(r, 'MS SubClass')).toEqual(expect.arrayContaining(['020', '060', '120']));
    expect(r.profile.warnings).toContainEqual(expect.objectContaining({ column: 'MS SubClass', kind: 'numeric-code' }));
    expect(t['Year Remod/Add']).toBe('numeric');
  });

  it('adult: 48842 rows, missing workclass/occupation/native_country, 41 countries', async () => {
    const r = await read('adult');
    expect(profileOf(r, 'workclass').missing).toBe(2799);
    expect(profileOf(r, 'occupation').missing).toBe(2809);
    expect(profileOf(r, 'native_country').missing).toBe(857);
    expect(profileOf(r, 'native_country').distinct).toBe(41);
    expect(levels(r, 'income')).toEqual(['<=50K', '>50K']);
    expect(r.frame.columns.filter((c) => c.type === 'categorical').map((c) => c.name)).toEqual([
      'workclass',
      'education',
      'marital_status',
      'occupation',
      'relationship',
      'race',
      'sex',
      'native_country',
      'income',
    ]);
    expect(r.profile.duplicateRows).toBe(52);
  });

  it('bank_marketing: 45211 x 17, yes/no columns boolean, y imbalanced', async () => {
    const r = await read('bank_marketing');
    const t = types(r);
    expect(t.y).toBe('boolean');
    expect(t.job).toBe('categorical');
    expect(t.pdays).toBe('numeric');
    // "unknown" acts as missing here but is a plain level to the reader: 288 of them (12th of 12 levels).
    expect(cells(r.frame, 'job').filter((v) => v === 'unknown')).toHaveLength(288);
    expect(r.profile.columns.every((c) => c.missing === 0)).toBe(true);
    const w = targetWarnings(r.frame, 'y');
    expect(w.map((x) => x.kind)).toEqual(['class-imbalance']);
    expect(w[0].message).toContain('11.7%');
  });

  it('the other datasets: documented types and missing counts', async () => {
    const penguins = await read('penguins');
    expect(profileOf(penguins, 'sex').missing).toBe(11);
    expect(levels(penguins, 'sex')).toEqual(['FEMALE', 'MALE']);
    expect(profileOf(penguins, 'body_mass_g').missing).toBe(2);
    const housing = await read('california_housing');
    expect(profileOf(housing, 'total_bedrooms').missing).toBe(207);
    expect(profileOf(housing, 'ocean_proximity').topLevels?.find((l) => l.level === 'ISLAND')?.count).toBe(5);
    const mpg = await read('auto_mpg');
    expect(profileOf(mpg, 'horsepower').missing).toBe(6);
    expect(levels(mpg, 'origin')).toEqual(['europe', 'japan', 'usa']);
    const diamonds = await read('diamonds');
    expect(levels(diamonds, 'cut')).toHaveLength(5);
    expect(levels(diamonds, 'clarity')).toHaveLength(8);
    const letter = await read('letter');
    expect(levels(letter, 'letter')).toHaveLength(26);
    expect(types(letter).xbox).toBe('numeric');
    const german = await read('german_credit');
    expect(levels(german, 'checking_balance')).toContain('< 0 DM');
    expect(types(german).default).toBe('numeric');
    const pima = await read('pima_diabetes');
    expect(Object.values(types(pima)).every((t) => t === 'numeric')).toBe(true);
    const insurance = await read('insurance');
    expect(types(insurance).smoker).toBe('boolean');
    const abalone = await read('abalone');
    expect(levels(abalone, 'Sex')).toEqual(['F', 'I', 'M']);
    const iris = await read('iris');
    expect(profileOf(iris, 'sepal_length').numeric?.min).toBe(4.3);
  });

  it('reads every dataset the same from a string, from bytes and from the file stream', async () => {
    const { ingestCsv } = await import('../../../src/core/data/ingest.ts');
    const file = datasetPath('titanic');
    const a = await read('titanic');
    const b = await ingestCsv(fs.readFileSync(file, 'utf8'));
    const c = await ingestCsv(new Uint8Array(fs.readFileSync(file)));
    expect(b.profile).toEqual(a.profile);
    expect(c.profile).toEqual(a.profile);
  });
});
