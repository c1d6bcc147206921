// Where a Tryton write spends its time, per JSON-RPC method: the wall time of each request as this
// process sees it, and the CPU trytond burned meanwhile (from /proc, so trytond must run on this machine).
// With maxInFlight 1 Tryton serves one request at a time, so trytond's CPU between a request's start and
// its answer is that request's server-side cost, whatever else the shared machine is running.
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fmt } from './support.js';

interface MethodStats {
  calls: number;
  wallMs: number;
  cpuMs: number;
}

interface Phase {
  elapsedMs: number;
  cpuMs: number;
  /** This process's CPU (the hub's, in an engine phase). */
  ownCpuMs: number;
  /** The longest this process's event loop was blocked: an answer arriving then waits that long. */
  maxLoopDelayMs: number;
  /** Bytes this process and trytond wrote to storage (/proc/<pid>/io), e.g. the hub's SQLite. */
  ownWriteBytes: number;
  trytondWriteBytes: number;
  records: number;
  methods: Map<string, MethodStats>;
}

/** Ticks of /proc/<pid>/stat (utime + stime) are 1/100 s on Linux. */
const TICK_MS = 10;

/** The trytond serving the harness directory `dir` (its command line names the config file there). */
export function trytondPid(dir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('/trytond')) && cmd.includes(`${dir}/trytond.conf`))
        return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** Bytes a process has written to storage (`write_bytes` of /proc/<pid>/io); 0 when unreadable. */
function writeBytes(pid: number | 'self' | undefined): number {
  if (pid === undefined) return 0;
  try {
    return Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export class CallRecorder {
  readonly #phases = new Map<string, Phase>();
  #current: Phase | undefined;

  constructor(private readonly pid: number | undefined) {
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const phase = this.#current;
      if (!phase || typeof init?.body !== 'string') return realFetch(input, init);
      const method = (JSON.parse(init.body) as { method: string }).method.replace(/^model\./, '');
      const cpu0 = this.#cpuMs();
      const started = performance.now();
      const response = await realFetch(input, init);
      // The body is read here so the time includes Tryton writing its answer.
      const body = await response.arrayBuffer();
      const stats = phase.methods.get(method) ?? { calls: 0, wallMs: 0, cpuMs: 0 };
      stats.calls += 1;
      stats.wallMs += performance.now() - started;
      stats.cpuMs += this.#cpuMs() - cpu0;
      phase.methods.set(method, stats);
      return new Response(body, { status: response.status, headers: response.headers });
    };
  }

  /** Runs `work` as (part of) phase `name`, which wrote `records` records. */
  async measure<T>(name: string, records: number, work: () => Promise<T>): Promise<T> {
    const phase = this.#phases.get(name) ?? {
      elapsedMs: 0,
      cpuMs: 0,
      ownCpuMs: 0,
      maxLoopDelayMs: 0,
      ownWriteBytes: 0,
      trytondWriteBytes: 0,
      records: 0,
      methods: new Map(),
    };
    this.#phases.set(name, phase);
    this.#current = phase;
    const cpu0 = this.#cpuMs();
    const own0 = process.cpuUsage();
    const ownIo0 = writeBytes('self');
    const trytondIo0 = writeBytes(this.pid);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    try {
      return await work();
    } finally {
      phase.elapsedMs += performance.now() - started;
      phase.cpuMs += this.#cpuMs() - cpu0;
      const own = process.cpuUsage(own0);
      phase.ownCpuMs += (own.user + own.system) / 1000;
      loop.disable();
      phase.ownWriteBytes += writeBytes('self') - ownIo0;
      phase.trytondWriteBytes += writeBytes(this.pid) - trytondIo0;
      phase.maxLoopDelayMs = Math.max(phase.maxLoopDelayMs, loop.max / 1e6);
      phase.records += records;
      this.#current = undefined;
    }
  }

  /** Per phase and method, per `per` records: requests, wall ms, trytond CPU ms; and Tryton's idle share. */
  report(per: number): string {
    const lines = [
      `| phase / JSON-RPC method | requests per ${per} records | wall ms per ${per} | trytond CPU ms per ${per} | this process's CPU ms per ${per} |`,
      '|---|---:|---:|---:|---:|',
    ];
    for (const [name, phase] of this.#phases) {
      const scale = per / Math.max(1, phase.records);
      let busyMs = 0;
      for (const s of phase.methods.values()) busyMs += s.wallMs;
      const idle = Math.max(0, 1 - busyMs / phase.elapsedMs);
      lines.push(
        `| **${name}** (elapsed; Tryton idle ${fmt(idle * 100, 0)}%; event loop blocked ≤ ${fmt(phase.maxLoopDelayMs, 0)} ms; written to disk per ${per}: trytond ${fmt((phase.trytondWriteBytes * scale) / 1024, 0)} KiB, this process ${fmt((phase.ownWriteBytes * scale) / 1024, 0)} KiB) | | ${fmt(phase.elapsedMs * scale, 0)} | ${this.pid === undefined ? '—' : fmt(phase.cpuMs * scale, 0)} | ${fmt(phase.ownCpuMs * scale, 0)} |`,
      );
      for (const [method, s] of [...phase.methods].sort((a, b) => b[1].wallMs - a[1].wallMs)) {
        lines.push(
          `| ${method} | ${fmt(s.calls * scale, 2)} | ${fmt(s.wallMs * scale, 0)} | ${this.pid === undefined ? '—' : fmt(s.cpuMs * scale, 0)} | |`,
        );
      }
    }
    return lines.join('\n');
  }

  #cpuMs(): number {
    if (this.pid === undefined) return 0;
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      return 0;
    }
  }
}
