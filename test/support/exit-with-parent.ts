// Preloaded into every TypeScript child that tests and benchmarks spawn (`typescriptChildArgs`): when
// the parent dies without stopping it — a test worker killed on timeout, Ctrl-C, a bench that threw —
// the child is re-parented, notices within half a second, and stops itself instead of living on as an
// orphan (a hub polling a dropped database, a server holding its port).
const parent = process.ppid;
const CHECK_MS = 500;
const GRACE_MS = 5000;

const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  // SIGTERM first, so a child with a shutdown handler releases what it holds; exit if that hangs.
  setTimeout(() => process.exit(1), GRACE_MS);
  process.kill(process.pid, 'SIGTERM');
}, CHECK_MS);
watch.unref();
