/**
 * The app's own storage account (AzureWebJobsStorage), where the run lock and the run history live.
 * Both connection styles the Functions host accepts work here too:
 *
 * - a connection string in `AzureWebJobsStorage` (Azurite locally: the well-known dev account with
 *   an explicit `BlobEndpoint=http://127.0.0.1:<port>/devstoreaccount1`);
 * - an identity-based connection: `AzureWebJobsStorage__blobServiceUri` (or `__accountName`), with
 *   `__clientId` for a user-assigned identity. The identity needs Storage Blob Data Owner, which
 *   the host needs anyway.
 */
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { ConfigurationError } from '../model/errors.js';

/** One container holds the lock blob (run.lock) and the run history (runs/{id}.json). */
export const CONTAINER_NAME = 'vendor-reconciler';

type Env = Record<string, string | undefined>;

export function blobServiceFromEnv(env: Env = process.env): BlobServiceClient {
  const connection = env.AzureWebJobsStorage?.trim();
  if (connection) return BlobServiceClient.fromConnectionString(connection);
  const account = env.AzureWebJobsStorage__accountName?.trim();
  const uri = env.AzureWebJobsStorage__blobServiceUri?.trim() || (account ? `https://${account}.blob.core.windows.net` : '');
  if (!uri) {
    throw new ConfigurationError(
      'STORAGE_NOT_SET',
      'AzureWebJobsStorage is not set: the run lock and the run history need the app\'s storage account.',
      'Set AzureWebJobsStorage to the storage connection string, or AzureWebJobsStorage__accountName for an identity-based connection (docs/configuration.md).',
    );
  }
  const clientId = env.AzureWebJobsStorage__clientId?.trim();
  return new BlobServiceClient(uri, new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}));
}

export function containerFromEnv(env: Env = process.env): ContainerClient {
  return blobServiceFromEnv(env).getContainerClient(CONTAINER_NAME);
}

/** Creates the container once per client (concurrent callers share the one request). */
const ensured = new WeakMap<ContainerClient, Promise<void>>();
export function ensureContainer(container: ContainerClient): Promise<void> {
  let p = ensured.get(container);
  if (!p) {
    p = container.createIfNotExists().then(
      () => undefined,
      (err: unknown) => {
        ensured.delete(container);
        throw err;
      },
    );
    ensured.set(container, p);
  }
  return p;
}

/** The storage SDK's RestError carries the HTTP status; anything else has none. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
