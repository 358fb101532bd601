import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const SERVICE_PROTO = 'google/cloud/tasks/v2/cloudtasks.proto';

/**
 * Loads `google.cloud.tasks.v2.CloudTasks` from the protos that ship inside
 * `@google-cloud/tasks`, with google-gax's protos for the common imports
 * (google/api, google/rpc, google/iam, google/protobuf).
 *
 * Messages arrive camelCased, enums as names, 64-bit integers as strings,
 * unset fields as `undefined` and bytes as `Buffer`.
 */
export function loadCloudTasksService(): ServiceDefinition {
  const definition = loadSync(SERVICE_PROTO, {
    includeDirs: [
      join(packageRoot('@google-cloud/tasks'), 'build', 'protos'),
      join(packageRoot('google-gax'), 'build', 'protos'),
    ],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const root = loadPackageDefinition(definition) as unknown as {
    google: { cloud: { tasks: { v2: { CloudTasks: { service: unknown } } } } };
  };
  return root.google.cloud.tasks.v2.CloudTasks.service as ServiceDefinition;
}

// Neither package exports its package.json, so walk up from the resolved
// entry point to the folder that holds `build/protos`.
function packageRoot(specifier: string): string {
  let folder = dirname(fileURLToPath(import.meta.resolve(specifier)));
  while (!existsSync(join(folder, 'build', 'protos'))) {
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error(`loadCloudTasksService: cannot locate ${specifier}`);
    }
    folder = parent;
  }
  return folder;
}
