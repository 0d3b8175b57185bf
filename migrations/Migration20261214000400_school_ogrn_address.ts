import { Migration } from '@mikro-orm/migrations';

/** The school directory keeps a school's ОГРН and address («ОГРН», «Адрес ОО»): school matching compares them. */
export class Migration20261214000400_school_ogrn_address extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table school add column ogrn text, add column address text;`);
    this.addSql(`create index school_ogrn_index on school (ogrn) where ogrn is not null;`);
  }

  async down(): Promise<void> {
    this.addSql(`alter table school drop column ogrn, drop column address;`);
  }
}
