import type { QueueMessage } from './proto-types.ts';
import {
  type QueueSettings,
  resolveSettings,
  settingsToMessage,
} from './queue-config.ts';
import { invalidArgument } from './rpc-error.ts';

type Section = 'rateLimits' | 'retryConfig' | 'stackdriverLoggingConfig';

// Update-mask paths a caller may name, by section. Scalars named in a mask
// but absent from the queue are set to zero, durations cleared.
const UPDATABLE: Record<string, readonly string[]> = {
  rateLimits: [
    'maxDispatchesPerSecond',
    'maxBurstSize',
    'maxConcurrentDispatches',
  ],
  retryConfig: [
    'maxAttempts',
    'maxRetryDuration',
    'minBackoff',
    'maxBackoff',
    'maxDoublings',
  ],
  stackdriverLoggingConfig: ['samplingRatio'],
  appEngineRoutingOverride: [],
};
const DURATIONS = new Set(['maxRetryDuration', 'minBackoff', 'maxBackoff']);
const OUTPUT_ONLY = new Set(['name', 'state', 'purgeTime']);

/**
 * Applies UpdateQueue's `queue` and `update_mask` to the current settings.
 * An empty mask replaces every updatable field, like the service. Paths
 * may be snake_case (gRPC) or camelCase (REST).
 */
export function applyQueueUpdate(
  queueName: string,
  current: QueueSettings,
  update: QueueMessage,
  paths: readonly string[],
): QueueSettings {
  if (paths.length === 0) return resolveSettings(queueName, update);

  const merged = currentMessage(current);
  for (const path of paths) {
    const [section = '', field, extra] = path.split('.').map(toCamelCase);
    checkPath(queueName, path, section, field, extra);
    if (section === 'appEngineRoutingOverride') continue;
    mergePath(merged, update, section as Section, field);
  }
  return resolveSettings(queueName, merged);
}

function checkPath(
  queueName: string,
  path: string,
  section: string,
  field: string | undefined,
  extra: string | undefined,
): void {
  if (OUTPUT_ONLY.has(section)) {
    throw invalidArgument(
      `Queue ${queueName}: update_mask path "${path}" is output only.`,
    );
  }
  const fields = UPDATABLE[section];
  const known = fields && (field === undefined || fields.includes(field));
  if (!known || extra !== undefined) {
    throw invalidArgument(
      `Queue ${queueName}: update_mask path "${path}" is not a Queue field.`,
    );
  }
}

function mergePath(
  merged: QueueMessage,
  update: QueueMessage,
  section: Section,
  field: string | undefined,
): void {
  const incoming = update[section] as Record<string, unknown> | undefined;
  if (field === undefined) {
    merged[section] = (incoming ?? {}) as never;
    return;
  }
  const target = (merged[section] ?? {}) as Record<string, unknown>;
  const value = incoming?.[field];
  target[field] = value ?? (DURATIONS.has(field) ? undefined : 0);
  merged[section] = target as never;
}

// The burst size goes back in only when the caller chose it, so that a new
// rate derives a new burst size as on the service.
function currentMessage(current: QueueSettings): QueueMessage {
  const message = settingsToMessage(current);
  if (!current.rateLimits.burstSizeExplicit && message.rateLimits) {
    delete message.rateLimits.maxBurstSize;
  }
  return message;
}

function toCamelCase(segment: string): string {
  return segment.replace(/_([a-z])/g, (_, letter: string) =>
    letter.toUpperCase(),
  );
}
