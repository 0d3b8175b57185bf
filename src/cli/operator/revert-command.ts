import { HubClient, isActionableRefusal } from './hub-client';

const BATCH = `query($id: ID!) { importBatch(id: $id) { id status messageRu revertsBatchId undoUntil counts { inserted replaced } } }`;
const FINAL = new Set(['DONE', 'FAILED', 'REJECTED', 'CANCELLED']);

/**
 * `msoko-hub revert <batch>`: asks the hub to revert an import (revertImport) and follows the revert batch to its
 * end. Exit code 0 reverted, 2 refused by the hub (a later import, already reverted, period over…), 1 failure.
 */
export async function runRevert(options: { batchId: string; url: string; key: string; pollMs?: number }, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const client = new HubClient(options.url, options.key);
  let id: string;
  try {
    const started = await client.graphql<{ revertImport: { id: string } | null }>(`mutation($id: ID!) { revertImport(batchId: $id) { id status } }`, { id: options.batchId });
    id = started.revertImport!.id;
  } catch (error) {
    if (isActionableRefusal(error)) {
      process.stderr.write(`Отказ хаба: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let batch: any;
  for (;;) {
    batch = (await client.graphql<{ importBatch: any }>(BATCH, { id })).importBatch;
    if (FINAL.has(batch.status)) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
  out.write(`Пакет ${batch.id} (отмена загрузки № ${options.batchId}): ${batch.messageRu ?? batch.status}\n`);
  return batch.status === 'DONE' ? 0 : batch.status === 'FAILED' ? 1 : 2;
}
