import { ImportPolicy } from './import-status';

export interface PolicyCounts {
  /** Non-blank data rows of the file. */
  read: number;
  /** Rows with at least one error. */
  rejected: number;
  /** Rows left out on purpose (warnings), e.g. aggregates superseded by participant rows. */
  skipped: number;
}

export type PolicyDecision = { merge: true } | { merge: false; reasonRu: string };

const percent = (share: number): string => `${(Math.round(share * 1000) / 10).toString().replace('.', ',')} %`;

/**
 * Whether a file whose rows were checked may be merged: any error rejects the whole file under REJECT_ALL;
 * under ACCEPT_VALID the valid rows go in while the share of rows with errors stays within `maxErrorShare`.
 */
export function decideMerge(policy: ImportPolicy, maxErrorShare: number | null, counts: PolicyCounts): PolicyDecision {
  const valid = counts.read - counts.rejected - counts.skipped;
  if (counts.rejected === 0) {
    return valid > 0 ? { merge: true } : { merge: false, reasonRu: 'В файле не осталось строк для загрузки: все строки пропущены (см. предупреждения в отчёте).' };
  }
  const summary = `Строк с ошибками: ${counts.rejected} из ${counts.read}.`;
  if (policy === ImportPolicy.REJECT_ALL) {
    return { merge: false, reasonRu: `${summary} По правилу «отклонить весь файл» данные не загружены: исправьте ошибки из отчёта и загрузите файл снова.` };
  }
  const share = counts.read === 0 ? 1 : counts.rejected / counts.read;
  const allowed = maxErrorShare ?? 0;
  if (share > allowed) {
    return { merge: false, reasonRu: `${summary} Доля строк с ошибками ${percent(share)} больше допустимой (${percent(allowed)}): данные не загружены.` };
  }
  if (valid <= 0) return { merge: false, reasonRu: `${summary} Верных строк для загрузки нет.` };
  return { merge: true };
}
