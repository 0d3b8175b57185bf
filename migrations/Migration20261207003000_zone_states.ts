import { Migration } from '@mikro-orm/migrations';

/**
 * Methodology v2 says what is not known: a school-year with no results is NO_DATA, one with results from which
 * no sign could be measured INSUFFICIENT_DATA. Both come before NONE in the enum's order, so every «at least
 * WATCH» filter (`objectivity >= 'WATCH'`) leaves them out, as it must: nothing is concluded from them.
 */
export class Migration20261207003000_zone_states extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter type zone_level add value if not exists 'NO_DATA' before 'NONE';`);
    this.addSql(`alter type zone_level add value if not exists 'INSUFFICIENT_DATA' before 'NONE';`);
  }

  async down(): Promise<void> {
    // PostgreSQL cannot drop enum values; v1 readers ignore them (no v1 row holds them).
  }
}
