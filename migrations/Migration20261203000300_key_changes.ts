import { Migration } from '@mikro-orm/migrations';

/**
 * NOTIFY hub_keys_changed at commit whenever an API key is created, revoked, changed or deleted: API processes
 * keep verified keys in memory (src/auth/verified-keys.ts) and must forget them the moment one is revoked.
 */
export class Migration20261203000300_key_changes extends Migration {
  async up(): Promise<void> {
    this.addSql(`create function hub_notify_keys_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('hub_keys_changed', '');
        return null;
      end $$;`);
    this.addSql(`create trigger api_key_keys_changed after insert or update or delete or truncate on api_key
      for each statement execute function hub_notify_keys_changed();`);
  }

  async down(): Promise<void> {
    this.addSql(`drop function if exists hub_notify_keys_changed() cascade;`);
  }
}
