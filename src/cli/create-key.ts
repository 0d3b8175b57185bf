import { parseArgs } from 'node:util';
import { ApiKeyService } from '../auth/api-key.service';
import { SYSTEM_PRINCIPAL } from '../shared/principal';
import { Role } from '../shared/role';
import { loadConfig } from '../config/config';
import { createOrm } from '../db/orm';
import { runCli } from '../app/run-cli';

const USAGE = `usage: npm run key:create -- --role ROLE --name NAME [--region CODE] [--municipality CODE] [--school CODE] [--expires YYYY-MM-DD]
roles: ${Object.values(Role).join(', ')}`;

/** Creates an API key and prints it once (to stdout, alone on its line, so scripts can capture it). */
runCli(async (log) => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string' },
      municipality: { type: 'string' },
      school: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  if (!values.role || !values.name || !(Object.values(Role) as string[]).includes(values.role)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const expiresAt = values.expires ? new Date(`${values.expires}T23:59:59Z`) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new Error(`--expires: "${values.expires}" is not a date YYYY-MM-DD`);
  const orm = await createOrm({ databaseUrl: loadConfig().databaseUrl });
  try {
    const created = await new ApiKeyService(orm.em.fork(), { ...SYSTEM_PRINCIPAL, actor: 'cli' }).create({
      name: values.name,
      role: values.role as Role,
      regionCode: values.region,
      municipalityCode: values.municipality,
      schoolCode: values.school,
      expiresAt,
    });
    log.info({ id: created.apiKey.id, role: created.apiKey.role, prefix: created.apiKey.prefix }, 'API key created; it is printed once below');
    process.stdout.write(`${created.key}\n`);
  } finally {
    await orm.close(true);
  }
});
