import { Migration } from '@mikro-orm/migrations';

/**
 * The school directory as regional centres have it: a school's type and locality may be unknown (a source without
 * «Тип ОО» or «Местность», or «не указано»), and its short name («Краткое наименование») is kept. Context rows per
 * year keep their own, required, values.
 */
export class Migration20261207001100_directory_unknowns extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table school alter column type drop not null, alter column urban drop not null, add column short_name text;`);
  }

  async down(): Promise<void> {
    this.addSql(`alter table school drop column short_name;`);
    this.addSql(`update school set type = 'OTHER' where type is null;`);
    this.addSql(`update school set urban = true where urban is null;`);
    this.addSql(`alter table school alter column type set not null, alter column urban set not null;`);
  }
}
