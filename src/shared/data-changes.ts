/**
 * Data-change notifications from PostgreSQL (see migrations/Migration20261203000100_data_changes.ts): triggers
 * NOTIFY at commit whenever data a read can show changes, whichever process wrote it (API, worker, CLI).
 * The listener turns them into a version number that only goes up; while it is not connected it says so,
 * because then nobody can tell whether cached reads are still current.
 */
import { Client } from 'pg';
import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from './logger';

export const DATA_CHANGED_CHANNEL = 'hub_data_changed';
/** API keys were created, revoked or changed (Migration20261203000300_key_changes.ts). */
const KEYS_CHANGED_CHANNEL = 'hub_keys_changed';

/** For writes no trigger sees (DDL such as attaching a partition); delivered at commit like the triggers'. */
export async function notifyDataChanged(knex: Knex, table: string): Promise<void> {
  await knex.raw('select pg_notify(?, ?)', [DATA_CHANGED_CHANNEL, table]);
}

export interface DataVersion {
  /** Changes whenever data may have changed; null while changes cannot be observed. */
  current(): number | null;
  /** Marks a change this process made itself, so its own next read does not wait for the notification. */
  bump(): void;
}

const RECONNECT_MS = [100, 500, 2000, 5000];

export class DataChangeListener implements DataVersion {
  private version = 0;
  /** Moves with every change of keys and of data (a key's scope comes from the school and municipality tables). */
  private keysVersion = 0;
  private listening = false;
  private client: Client | null = null;
  private stopped = false;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
  ) {}

  current(): number | null {
    return this.listening ? this.version : null;
  }

  /** A local write bumps both: whatever this process changed, its next request reads afresh. */
  bump(): void {
    this.version++;
    this.keysVersion++;
  }

  /** The version of API keys and their scopes, for caches of verified keys. */
  readonly keys: DataVersion = {
    current: () => (this.listening ? this.keysVersion : null),
    bump: () => this.bump(),
  };

  /** Resolves once listening (or after the first failure: the listener keeps retrying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.listening = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'msoko-hub data-change listener' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === KEYS_CHANGED_CHANNEL) this.keysVersion++;
      else this.bump();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`listen ${DATA_CHANGED_CHANNEL}; listen ${KEYS_CHANGED_CHANNEL}`);
      if (this.stopped || this.client !== client) {
        await client.end().catch(() => undefined);
        return;
      }
      // Anything may have changed while nobody listened.
      this.bump();
      this.listening = true;
      this.attempts = 0;
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    this.bump();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = RECONNECT_MS[Math.min(this.attempts++, RECONNECT_MS.length - 1)];
    this.log.warn({ err: error.message, retryInMs: delay }, 'data-change listener lost its connection; cached responses are off until it is back');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
