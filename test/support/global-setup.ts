// Replaced by the database template set-up once the schema exists.
export default async function globalSetup(): Promise<void> {}
