import { Type } from '@mikro-orm/core';
import { arrayLiteral } from './sql';

/**
 * PostgreSQL integer[] / double precision[] as (number | null)[]. pg usually hands back a parsed array;
 * the text form ("{1,NULL,2}") is handled too. NULL elements stay null: in task scores null means
 * "not done", which must never turn into 0.
 */
class NumberArrayType extends Type<(number | null)[] | null, string | null> {
  constructor(private readonly sqlType: string) {
    super();
  }

  /** As an array literal: knex would expand a JS array into a list of bindings. */
  convertToDatabaseValue(value: (number | null)[] | null): string | null {
    if (value == null) return null;
    return arrayLiteral(value.map((item) => (item === null ? null : Number(item))));
  }

  convertToJSValue(value: string | null): (number | null)[] | null {
    if (value == null) return null;
    const items: unknown[] = Array.isArray(value) ? value : value.replace(/^\{|\}$/g, '').split(',').filter((s) => s !== '');
    return items.map((item) => (item === null || item === 'NULL' ? null : Number(item)));
  }

  getColumnType(): string {
    return this.sqlType;
  }

  compareAsType(): string {
    return 'array';
  }
}

export const intArray = () => new NumberArrayType('integer[]');
export const smallintArray = () => new NumberArrayType('smallint[]');
export const floatArray = () => new NumberArrayType('double precision[]');
