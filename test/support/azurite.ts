/**
 * Test helper: an Azurite blob service for one test file (started in beforeAll, stopped in
 * afterAll), through the same starter `serve` uses (src/server/azurite.ts). Each call gets its own
 * port and folder, so test files run side by side.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { startAzurite as start, type RunningAzurite } from '../../src/server/azurite.js';

export interface TestAzurite extends RunningAzurite {
  /** A fresh container (unique name) so tests in one file do not see each other's lock or runs. */
  container(name?: string): ContainerClient;
}

export async function startAzurite(): Promise<TestAzurite> {
  const azurite = await start();
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  return { ...azurite, container: (name = `t-${randomUUID()}`) => service.getContainerClient(name) };
}
