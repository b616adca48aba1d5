/**
 * Memory of a process tree, read from Linux /proc (benchmarks only; returns zeros elsewhere).
 *  - `statusKb(pid, 'VmHWM')`: one field of /proc/<pid>/status in KiB (VmHWM is the peak resident
 *    set of the process, its threads included; VmRSS the current one).
 *  - `descendants(root)`: every live process whose parent chain leads to `root` (root excluded),
 *    found by reading the ppid of every /proc/<n>/stat; `children(pid)` only the direct ones.
 *  - `PeakSampler`: calls a KiB-returning function every `intervalMs` and keeps the maximum.
 */
import fs from 'node:fs';

export function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone, or no /proc
  }
}

/** Proportional set size (shared pages divided among the processes mapping them), KiB; 0 when unreadable. */
export function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** pid → ppid of every live process. */
function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(rest[1]));
    } catch {
      // ended between listing and reading
    }
  }
  return parents;
}

/** Direct children of `pid`. */
export function children(pid: number): number[] {
  return [...parentMap()].filter(([, ppid]) => ppid === pid).map(([child]) => child);
}

/** The command line of `pid`, arguments joined by spaces ('' when gone). */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export function descendants(root: number): number[] {
  const parents = parentMap();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

export class PeakSampler {
  peakKb = 0;
  samples = 0;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly measureKb: () => number,
    intervalMs: number,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    const kb = this.measureKb();
    this.samples++;
    if (kb > this.peakKb) this.peakKb = kb;
  }

  /** Stops sampling (after one last sample) and returns the peak in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakKb / 1024;
  }
}
