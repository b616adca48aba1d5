/**
 * A bundle whose input columns are named like Object.prototype's members ("__proto__", "constructor",
 * "toString", "hasOwnProperty") next to a date, and one whose name is 3,000 characters with a quote and
 * a line break in it: names that a plain object would mishandle as keys, or that would swell every
 * message quoting them. Fitted on a small seeded frame, exported and unzipped to a temp folder.
 */
import { fitFinalModel } from '../../../src/core/automl/model.ts';
import { resolveProject } from '../../../src/core/automl/project.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { profileFrame } from '../../../src/core/data/profile.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { cat, frame as makeFrame, num } from '../../helpers/frames.ts';
import { exportAndImport, type PredictModule } from './fixtures.ts';

export const LONG_NAME = `long "name"\n${'x'.repeat(3000)}`;
export const ODD_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'when', LONG_NAME];

function oddFrame(n: number): Frame {
  const rng = new Rng(5);
  const proto: (number | null)[] = [];
  const ctor: (string | null)[] = [];
  const str: string[] = [];
  const own: number[] = [];
  const when: number[] = [];
  const long: number[] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 10;
    const c = ['red', 'green', 'blue'][Math.floor(rng.next() * 3)];
    const t = rng.next() < 0.5;
    const o = Math.floor(rng.next() * 100);
    proto.push(rng.next() < 0.1 ? null : a);
    ctor.push(c);
    str.push(t ? 'Yes' : 'No');
    own.push(o);
    when.push(Date.UTC(2020, 0, 1) + Math.floor(rng.next() * 500) * 86_400_000);
    long.push(rng.next());
    y.push(a + (c === 'red' ? 3 : 0) + (t ? 2 : 0) + rng.normal() > 7 ? 'hi' : 'lo');
  }
  return makeFrame(
    num('__proto__', proto),
    cat('constructor', ctor),
    cat('toString', str, 'boolean', ['No', 'Yes']),
    num('hasOwnProperty', own),
    num('when', when, 'datetime'),
    num(LONG_NAME, long),
    cat('y', y),
  );
}

export interface OddBundle {
  dir: string;
  mod: PredictModule;
  cleanup: () => void;
}

export async function oddNamesBundle(): Promise<OddBundle> {
  const frame = oddFrame(200);
  const { project } = resolveProject(frame, { target: 'y' });
  const trainRows = Int32Array.from({ length: 160 }, (_, i) => i);
  const model = await fitFinalModel(frame, {
    target: 'y',
    task: project.task,
    classes: project.classes,
    trainRows,
    seed: 3,
    members: [{ family: 'gbdt', params: { max_iter: 20 }, weight: 1, features: project.features }],
  });
  const f = {
    data: { name: 'odd', frame, profile: profileFrame(frame), bytes: new Uint8Array([1]), target: 'y', exclude: [] },
    project,
    model,
    searchRows: trainRows,
    testRows: Int32Array.from({ length: 40 }, (_, i) => 160 + i),
  };
  return exportAndImport(f);
}
