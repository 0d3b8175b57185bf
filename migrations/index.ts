import { Migration20261122000100_foundation } from './Migration20261122000100_foundation';

/** Migrations in order; listed explicitly so that ts-node, ts-jest and compiled code all find them. */
export const migrationsList = [
  { name: 'Migration20261122000100_foundation', class: Migration20261122000100_foundation },
];
