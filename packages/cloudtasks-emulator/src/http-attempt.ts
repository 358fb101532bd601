import http from 'node:http';
import https from 'node:https';

/** How one HTTP attempt ended. */
export type AttemptOutcome =
  | { kind: 'response'; status: number }
  | { kind: 'deadline-exceeded' }
  | { kind: 'network-error'; message: string }
  | { kind: 'aborted' };

/** One request to a task's target. */
export interface HttpAttempt {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Abort the request and count a failure after this long, ms. */
  deadlineMs: number;
  /** Aborts the request without an outcome that counts (shutdown). */
  signal: AbortSignal;
}

/** Keep-alive connection pools for task targets; destroy them at close. */
export interface TargetAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Pools that reuse connections to targets, as a long-running service. */
export function createTargetAgents(): TargetAgents {
  return {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
}

/**
 * Sends one attempt and resolves when the response has been read in full,
 * the deadline passed, the connection failed, or `signal` aborted it.
 * Never rejects.
 */
export function sendHttpAttempt(
  attempt: HttpAttempt,
  agents: TargetAgents,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    const request = openRequest(attempt, agents);
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      attempt.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
      // A fully read response leaves its socket to the keep-alive pool.
      if (outcome.kind !== 'response') request.destroy();
    };
    const onAbort = () => settle({ kind: 'aborted' });
    const timer = setTimeout(
      () => settle({ kind: 'deadline-exceeded' }),
      attempt.deadlineMs,
    );
    attempt.signal.addEventListener('abort', onAbort);
    settleOnResponse(request, settle);

    if (attempt.signal.aborted) onAbort();
    else request.end(attempt.body);
  });
}

function openRequest(
  attempt: HttpAttempt,
  agents: TargetAgents,
): http.ClientRequest {
  const url = new URL(attempt.url);
  const secure = url.protocol === 'https:';
  return (secure ? https : http).request(url, {
    method: attempt.method,
    headers: attempt.headers,
    agent: secure ? agents.https : agents.http,
  });
}

function settleOnResponse(
  request: http.ClientRequest,
  settle: (outcome: AttemptOutcome) => void,
): void {
  const failed = (error: Error) =>
    settle({ kind: 'network-error', message: error.message });
  request.on('error', failed);
  request.on('response', (response) => {
    const status = response.statusCode ?? 0;
    response.on('end', () => settle({ kind: 'response', status }));
    response.on('error', failed);
    // Closed before the end: the connection dropped mid-response.
    response.on('close', () =>
      failed(new Error('connection closed during the response')),
    );
    response.resume();
  });
}
