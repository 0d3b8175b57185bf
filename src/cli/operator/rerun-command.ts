import { HubClient, isActionableRefusal } from './hub-client';
import { followBatch } from './import-command';

/**
 * `msoko-hub rerun <batch>`: asks the hub to run a finished import again (rerunImport: the same file with the same
 * options, as a new batch) — after `alias confirm` has made its unknown school codes known, say — then follows the new
 * batch and prints its report as `import` does. Exit code 0 loaded, 2 refused by the hub (the file is no longer kept,
 * the batch is not found…) or the file rejected again, 1 failure.
 */
export async function runRerun(options: { batchId: string; url: string; key: string; pollMs?: number }, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const client = new HubClient(options.url, options.key);
  let id: string;
  try {
    const started = await client.graphql<{ rerunImport: { id: string } | null }>(`mutation($id: ID!) { rerunImport(batchId: $id) { id status } }`, { id: options.batchId });
    id = started.rerunImport!.id;
  } catch (error) {
    if (isActionableRefusal(error)) {
      process.stderr.write(`Отказ хаба: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  out.write(`Загрузка № ${options.batchId} перезапущена: пакет ${id}.\n`);
  return followBatch(client, id, options.url, out, options.pollMs);
}
