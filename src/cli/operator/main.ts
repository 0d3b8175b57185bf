import { parseArgs } from 'node:util';
import { runImport } from './import-command';

const USAGE = `Использование:
  msoko-hub import ФАЙЛ [--url http://127.0.0.1:4000] [--key КЛЮЧ | переменная MSOKO_KEY]
                       [--layout ФОРМАТ] [--policy REJECT_ALL|ACCEPT_VALID] [--max-error-share 0.05]
                       [--year 2025] [--procedure VPR] [--subject "Русский язык"] [--grade 4]
Загружает файл в хаб, показывает ход чтения, проверки и записи и печатает отчёт.
Код выхода: 0 — данные записаны, 2 — файл отклонён, 1 — сбой.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' }, key: { type: 'string' }, layout: { type: 'string' }, policy: { type: 'string' },
      'max-error-share': { type: 'string' }, year: { type: 'string' }, procedure: { type: 'string' }, subject: { type: 'string' },
      grade: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  const [command, file] = positionals;
  if (values.help || command !== 'import' || !file) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const key = values.key ?? process.env.MSOKO_KEY;
  if (!key) {
    process.stderr.write('Нужен ключ доступа: --key КЛЮЧ или переменная окружения MSOKO_KEY\n');
    return 1;
  }
  const constants: Record<string, string | number> = {};
  if (values.year) constants.year = Number(values.year);
  if (values.grade) constants.grade = Number(values.grade);
  if (values.procedure) constants.procedure = values.procedure;
  if (values.subject) constants.subjectName = values.subject;
  return runImport({
    file,
    url: values.url ?? process.env.MSOKO_URL ?? 'http://127.0.0.1:4000',
    key,
    layout: values.layout,
    policy: values.policy as 'REJECT_ALL' | 'ACCEPT_VALID' | undefined,
    maxErrorShare: values['max-error-share'] !== undefined ? Number(values['max-error-share']) : undefined,
    constants,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`msoko-hub: ${error.message}\n`);
    process.exit(1);
  },
);
