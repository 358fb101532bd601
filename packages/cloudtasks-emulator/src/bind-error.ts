/**
 * Why the gRPC server could not listen, in words a user can act on.
 * grpc-js reports a failed bind as `No address added out of total N
 * resolved errors: [listen EADDRINUSE: ...]`; the system error code
 * inside is what matters.
 */
export function describeBindFailure(error: Error): string {
  const detail = /errors: \[(.*)\]$/s.exec(error.message)?.[1] ?? '';
  const reason = REASONS.find(({ code }) => detail.includes(code));
  if (reason) return `${reason.text} (${reason.code})`;
  return detail || error.message;
}

const REASONS = [
  {
    code: 'EADDRINUSE',
    text: 'address in use: another process listens on this port',
  },
  {
    code: 'EADDRNOTAVAIL',
    text: 'cannot assign address: no interface of this machine has it',
  },
  {
    code: 'EACCES',
    text: 'permission denied: ports below 1024 need privileges',
  },
] as const;
