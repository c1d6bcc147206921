import { ConnectorError } from '../../connectors/sdk/index.js';

/**
 * Runs a connector call with a deadline. At the deadline the call is aborted, not merely no longer
 * awaited: its ops will be sent again, and a write of the abandoned call landing after that retry (or
 * after the record's next event) would put an older state over a newer one.
 */
export async function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ConnectorError('transient', `no answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
