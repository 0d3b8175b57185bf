import { exitCodeOfRefusal, HubClient } from './hub-client';

export type ProfileCommand =
  | { kind: 'profile-list' }
  | {
      kind: 'profile-save';
      name: string;
      layout?: string;
      mapping?: Record<string, unknown>;
      constants: Record<string, string | number>;
      regionCode?: string;
      /** Read options and the policy for rows in error, as startImport takes them. */
      file: { encoding?: string; separator?: string; sheet?: string; recordsPath?: string; policy?: string; maxErrorShare?: number };
    }
  | { kind: 'profile-delete'; name: string; regionCode?: string };

const FIELDS = 'name regionCode layout mapping constants { procedure year subjectName grade session } encoding separator sheet recordsPath policy maxErrorShare savedBy';

interface ListedProfile {
  name: string;
  regionCode: string | null;
  layout: string | null;
  mapping: { target?: string } | null;
  constants: { procedure: string | null; year: number | null; subjectName: string | null; grade: number | null; session: string | null } | null;
  encoding: string | null;
  separator: string | null;
  sheet: string | null;
  recordsPath: string | null;
  policy: string | null;
  maxErrorShare: number | null;
  savedBy: string;
}

/** The values a profile gives every row, in words («процедура ЕГЭ, год 2023, предмет «Математика»»). */
function constantsRu(profile: ListedProfile): string {
  const c = profile.constants;
  if (!c) return '';
  const parts: string[] = [];
  if (c.procedure !== null) parts.push(`процедура ${c.procedure}`);
  if (c.year !== null) parts.push(`год ${c.year}`);
  if (c.subjectName !== null) parts.push(`предмет «${c.subjectName}»`);
  if (c.grade !== null) parts.push(`${c.grade} класс`);
  if (c.session !== null) parts.push(`сессия ${c.session}`);
  return parts.join(', ');
}

/** The file options a profile keeps, in words («кодировка koi8-r, разделитель «,», строки с ошибками пропускаются, до 5 %»). */
function fileOptionsRu(profile: ListedProfile): string {
  const parts: string[] = [];
  if (profile.encoding !== null) parts.push(`кодировка ${profile.encoding}`);
  if (profile.separator !== null) parts.push(`разделитель ${profile.separator === '\t' ? 'табуляция' : `«${profile.separator}»`}`);
  if (profile.sheet !== null) parts.push(`лист «${profile.sheet}»`);
  if (profile.recordsPath !== null) parts.push(`записи JSON «${profile.recordsPath}»`);
  if (profile.policy === 'ACCEPT_VALID') parts.push(`строки с ошибками пропускаются, до ${String(Math.round(profile.maxErrorShare! * 1000) / 10).replace('.', ',')} %`);
  if (profile.policy === 'REJECT_ALL') parts.push('файл с ошибками отклоняется');
  return parts.join(', ');
}

/**
 * `msoko-hub profiles`, `profile save NAME …`, `profile delete NAME`: the region's import profiles. Exit code 0 done,
 * 2 refused by the hub (a wrong mapping, another region), 1 failure.
 */
export async function runProfile(command: ProfileCommand, url: string, key: string, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const client = new HubClient(url, key);
  return exitCodeOfRefusal(process.stderr, async () => {
    if (command.kind === 'profile-list') {
      const { importProfiles } = await client.graphql<{ importProfiles: ListedProfile[] }>(`{ importProfiles { ${FIELDS} } }`);
      if (importProfiles.length === 0) out.write('Профилей загрузки нет.\n');
      for (const profile of importProfiles) {
        const what = profile.mapping?.target ? `mapped → ${profile.mapping.target}` : (profile.layout ?? 'формат по заголовку');
        const details = [constantsRu(profile), fileOptionsRu(profile)].filter((part) => part !== '');
        out.write(`${profile.name} — ${profile.regionCode === null ? 'общий' : `регион ${profile.regionCode}`}; ${what}${details.map((part) => `; ${part}`).join('')}; сохранил ${profile.savedBy}\n`);
      }
      return 0;
    }
    if (command.kind === 'profile-save') {
      const input = { name: command.name, layout: command.layout ?? null, mapping: command.mapping ?? null, constants: command.constants, regionCode: command.regionCode ?? null, ...command.file };
      const { saveImportProfile } = await client.graphql<{ saveImportProfile: { name: string; regionCode: string | null } }>(
        `mutation($input: SaveImportProfileInput!) { saveImportProfile(input: $input) { ${FIELDS} } }`,
        { input },
      );
      out.write(`Профиль загрузки сохранён: «${saveImportProfile.name}» (${saveImportProfile.regionCode === null ? 'общий' : `регион ${saveImportProfile.regionCode}`})\n`);
      return 0;
    }
    const { deleteImportProfile } = await client.graphql<{ deleteImportProfile: boolean }>(`mutation($name: String!, $region: String) { deleteImportProfile(name: $name, regionCode: $region) }`, {
      name: command.name,
      region: command.regionCode ?? null,
    });
    out.write(deleteImportProfile ? `Профиль загрузки «${command.name}» удалён\n` : `Профиля загрузки «${command.name}» нет\n`);
    return deleteImportProfile ? 0 : 2;
  });
}
