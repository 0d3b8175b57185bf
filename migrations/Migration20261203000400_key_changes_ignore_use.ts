import { Migration } from '@mikro-orm/migrations';

/**
 * hub_keys_changed no longer fires when a key is merely used: recording last_used_at (once a minute per key)
 * made every API process forget all verified keys. Anything that decides who a key is still notifies.
 */
export class Migration20261203000400_key_changes_ignore_use extends Migration {
  async up(): Promise<void> {
    this.addSql(`drop trigger api_key_keys_changed on api_key;`);
    this.addSql(`create trigger api_key_keys_changed after insert or delete or truncate on api_key
      for each statement execute function hub_notify_keys_changed();`);
    this.addSql(`create trigger api_key_keys_updated
      after update of prefix, secret_hash, role, region_id, municipality_id, school_id, expires_at, revoked_at on api_key
      for each statement execute function hub_notify_keys_changed();`);
  }

  async down(): Promise<void> {
    this.addSql(`drop trigger api_key_keys_updated on api_key;`);
    this.addSql(`drop trigger api_key_keys_changed on api_key;`);
    this.addSql(`create trigger api_key_keys_changed after insert or update or delete or truncate on api_key
      for each statement execute function hub_notify_keys_changed();`);
  }
}
