// Shapes of the v2 messages as @grpc/proto-loader hands them over with the
// options in protos.ts: camelCase, enum names, int64 as string, unset
// fields undefined. Only the fields the emulator reads or writes.

export interface TimestampMessage {
  seconds?: string | number;
  nanos?: number;
}

export type DurationMessage = TimestampMessage;

export interface StatusMessage {
  code: number;
  message: string;
}

export interface RateLimitsMessage {
  maxDispatchesPerSecond?: number;
  maxBurstSize?: number;
  maxConcurrentDispatches?: number;
}

export interface RetryConfigMessage {
  maxAttempts?: number;
  maxRetryDuration?: DurationMessage | null;
  minBackoff?: DurationMessage | null;
  maxBackoff?: DurationMessage | null;
  maxDoublings?: number;
}

export type QueueStateName = 'RUNNING' | 'PAUSED' | 'DISABLED';

export interface QueueMessage {
  name?: string;
  appEngineRoutingOverride?: object | null;
  rateLimits?: RateLimitsMessage | null;
  retryConfig?: RetryConfigMessage | null;
  state?: QueueStateName | 'STATE_UNSPECIFIED';
  purgeTime?: TimestampMessage | null;
  stackdriverLoggingConfig?: { samplingRatio?: number } | null;
}

export type HttpMethodName =
  | 'POST'
  | 'GET'
  | 'HEAD'
  | 'PUT'
  | 'DELETE'
  | 'PATCH'
  | 'OPTIONS';

export interface OidcTokenMessage {
  serviceAccountEmail?: string;
  audience?: string;
}

export interface OAuthTokenMessage {
  serviceAccountEmail?: string;
  scope?: string;
}

export interface HttpRequestMessage {
  url?: string;
  httpMethod?: HttpMethodName | 'HTTP_METHOD_UNSPECIFIED';
  headers?: Record<string, string>;
  body?: Buffer;
  oauthToken?: OAuthTokenMessage | null;
  oidcToken?: OidcTokenMessage | null;
}

export interface AttemptMessage {
  scheduleTime?: TimestampMessage;
  dispatchTime?: TimestampMessage;
  responseTime?: TimestampMessage;
  responseStatus?: StatusMessage;
}

export type TaskViewName = 'VIEW_UNSPECIFIED' | 'BASIC' | 'FULL';

export interface TaskMessage {
  name?: string;
  appEngineHttpRequest?: object | null;
  httpRequest?: HttpRequestMessage | null;
  scheduleTime?: TimestampMessage | null;
  createTime?: TimestampMessage | null;
  dispatchDeadline?: DurationMessage | null;
  dispatchCount?: number;
  responseCount?: number;
  firstAttempt?: AttemptMessage | null | undefined;
  lastAttempt?: AttemptMessage | null | undefined;
  view?: TaskViewName;
}

export interface NameRequest {
  name?: string;
}

export interface TaskNameRequest extends NameRequest {
  responseView?: TaskViewName;
}

export interface ListRequest {
  parent?: string;
  filter?: string;
  pageSize?: number;
  pageToken?: string;
  responseView?: TaskViewName;
}

export interface CreateQueueRequest {
  parent?: string;
  queue?: QueueMessage | null;
}

export interface UpdateQueueRequest {
  queue?: QueueMessage | null;
  updateMask?: { paths?: string[] } | null;
}

export interface CreateTaskRequest {
  parent?: string;
  task?: TaskMessage | null;
  responseView?: TaskViewName;
}
