import { Migration } from '@mikro-orm/migrations';

/**
 * Import profiles keep how their files are read besides layout and mapping: the CSV encoding and separator, the XLSX
 * sheet, and what to do with rows in error (policy, and for ACCEPT_VALID the largest share of such rows). Null: not
 * kept — detected, resp. REJECT_ALL — unless the start gives it.
 */
export class Migration20261216000100_import_profile_options extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table import_profile
      add column encoding text check (length(encoding) between 1 and 40),
      add column separator text check (separator in (';', ',', E'\\t')),
      add column sheet text check (length(sheet) between 1 and 100),
      add column policy text check (policy in ('REJECT_ALL', 'ACCEPT_VALID')),
      add column max_error_share double precision check (max_error_share between 0 and 1),
      add constraint import_profile_accept_valid_share check (policy is distinct from 'ACCEPT_VALID' or max_error_share is not null);`);
  }

  async down(): Promise<void> {
    this.addSql(`alter table import_profile drop constraint if exists import_profile_accept_valid_share,
      drop column if exists encoding, drop column if exists separator, drop column if exists sheet,
      drop column if exists policy, drop column if exists max_error_share;`);
  }
}
