// The end-to-end baseline worker: plain functions-framework functions
// that note the latency of each raw task (`rawTask`, sent time in the
// `x-sent-at` header) or Pub/Sub message (`rawEvent`, `sentAt`
// attribute).
import {
  type CloudEvent,
  cloudEvent,
  http,
} from '@google-cloud/functions-framework';
import { recordLatency } from './latency-log.ts';

http('rawTask', (request, response) => {
  recordLatency(Number(request.header('x-sent-at')));
  response.end();
});

interface PushData {
  message?: { attributes?: Record<string, string> };
}

cloudEvent<PushData>('rawEvent', (event: CloudEvent<PushData>) => {
  recordLatency(Number(event.data?.message?.attributes?.sentAt));
});
