// Shared measuring tools for the benchmarks: percentiles, peak memory, engine selection.
import type { Engine } from '../src/platform/db/index.js';

export const benchPgUrl =
  process.env.FIELDSYNC_BENCH_PG ??
  process.env.FIELDSYNC_TEST_PG ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export function benchEngines(): Engine[] {
  const wanted = process.env.FIELDSYNC_BENCH_ENGINES ?? 'sqlite,postgres';
  return wanted.split(',').filter((e): e is Engine => e === 'sqlite' || e === 'postgres');
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? 0;
}

export function latencySummary(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** Samples RSS every 50 ms; `stop()` returns the peak in MiB (also checks the OS's own max RSS). */
export function trackPeakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      const osPeak = process.resourceUsage().maxRSS * 1024;
      return Math.max(peak, osPeak) / (1024 * 1024);
    },
  };
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
