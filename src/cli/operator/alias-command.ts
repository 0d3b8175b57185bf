/** `msoko-hub alias confirm CODE SCHOOL_ID`: a code a file used becomes one of a school's codes (confirmSchoolAlias). */
import { exitCodeOfRefusal, HubClient } from './hub-client';

export interface AliasCommand {
  code: string;
  schoolId: string;
}

const KIND_RU: Record<string, string> = { FISOKO_LOGIN: 'логин ФИС ОКО', INN: 'ИНН', RCOI_CODE: 'код РЦОИ', OTHER: 'код другого источника' };

/**
 * Exit code 0 confirmed, 2 refused by the hub (the code is another school's, the school is not found or is another
 * region's), 1 failure. The hub audits the confirmation (schoolAlias.confirm), as from GraphQL.
 */
export async function runAlias(command: AliasCommand, url: string, key: string, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const client = new HubClient(url, key);
  return exitCodeOfRefusal(err, async () => {
    const { confirmSchoolAlias: alias } = await client.graphql<{ confirmSchoolAlias: { schoolId: string; schoolName: string; code: string; kind: string } }>(
      `mutation($input: ConfirmSchoolAliasInput!) { confirmSchoolAlias(input: $input) { schoolId schoolName code kind } }`,
      { input: { code: command.code, schoolId: command.schoolId } },
    );
    out.write(`Код «${alias.code}» подтверждён: это ОО «${alias.schoolName}» (id ${alias.schoolId}; ${KIND_RU[alias.kind] ?? alias.kind}). Перезапустите загрузку (msoko-hub rerun ПАКЕТ) или загрузите файл снова.\n`);
    return 0;
  });
}
