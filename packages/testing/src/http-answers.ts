import { get } from 'node:http';

/**
 * True when `GET http://127.0.0.1:PORT/` answers 200 within `timeoutMs`
 * (default 2,000). Uses no keep-alive agent, so it leaves no socket open.
 */
export function httpAnswers(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
