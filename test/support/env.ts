/** Connection settings shared by the test set-up and the test files. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_ENV = 'MSOKO_TEST_TEMPLATE_DB';
