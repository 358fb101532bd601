import type { LogFields, Logger } from '../logger.ts';
import type { OutgoingMessage, Transport } from '../transport.ts';

/** One entry a {@link RecordingLogger} kept. */
export interface LogEntry {
  level: keyof Logger;
  message: string;
  fields: LogFields;
}

/** A logger that keeps every entry, to check levels and fields. */
export interface RecordingLogger extends Logger {
  readonly entries: LogEntry[];
}

export function createRecordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, fields: LogFields = {}) => {
      entries.push({ level, message, fields });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** A transport that keeps what it is given, like a queue nobody reads. */
export interface CaptureTransport extends Transport {
  readonly sent: OutgoingMessage[];
}

export function createCaptureTransport(name = 'capture'): CaptureTransport {
  const sent: OutgoingMessage[] = [];
  return {
    name,
    sent,
    async send(message) {
      sent.push(message);
      const id = `m${sent.length}`;
      return { id, callId: message.callId, deduplicated: false };
    },
    flush: async () => {},
    close: async () => {},
  };
}
