import { Migration } from '@mikro-orm/migrations';

/**
 * school_exam_total came after the data-change triggers (Migration20261203000100_data_changes), which were made for
 * the tables of their day: without its own, a cached School.examTotals or examTotalFacts answer outlived an import
 * that changed only a school's totals (a file of rows without a subject writes no school_result).
 */
export class Migration20261217000100_exam_total_changes extends Migration {
  async up(): Promise<void> {
    this.addSql(`create trigger school_exam_total_data_changed after insert or update or delete or truncate on school_exam_total
      for each statement execute function hub_notify_data_changed();`);
  }

  async down(): Promise<void> {
    this.addSql(`drop trigger school_exam_total_data_changed on school_exam_total;`);
  }
}
