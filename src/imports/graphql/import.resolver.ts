import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { decodeCursor, PageArgs, toPage } from '../../graphql/pagination';
import { ImportRequests } from '../batch/import-requests';
import { ImportBatchStore } from '../batch/import-batch.store';
import { ImportRerun } from '../batch/import-rerun';
import { RowErrorStore, type Severity } from '../batch/row-errors';
import { IMPORT_ROLES } from '../import-access';
import { ImportRevert } from '../undo/import-revert';
import { importBatchView, revertBlockedReason, rowErrorView } from './import-batch.view';
import { ImportProfiles } from '../profiles/import-profiles';
import { ImportBatchesArgs, parseBatchId, startOptions, StartImportInput } from './import.inputs';
import { ImportBatch, ImportBatchConnection, ImportRowErrorConnection } from './import.types';

@Resolver(() => ImportBatch)
export class ImportResolver {
  @Authorized(...IMPORT_ROLES)
  @Query(() => ImportBatch, { nullable: true, description: 'Пакет загрузки: состояние, ход, счётчики, отчёт (свои пакеты региона; администратору — все)' })
  async importBatch(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ImportBatch | null> {
    const row = await new ImportBatchStore(ctx.em.getKnex()).findVisible(parseBatchId(id, 'id'), ctx.principal);
    return row ? importBatchView(row) : null;
  }

  @Authorized(...IMPORT_ROLES)
  @Query(() => ImportBatchConnection, { description: 'Пакеты загрузки, новые первыми' })
  async importBatches(@Args() page: PageArgs, @Args() filter: ImportBatchesArgs, @Ctx() ctx: RequestContext): Promise<ImportBatchConnection> {
    const store = new ImportBatchStore(ctx.em.getKnex());
    const statuses = filter.statuses ?? null;
    const rows = await store.list(ctx.principal, { first: page.first, afterId: decodeCursor(page.after), statuses });
    return ImportBatchConnection.from(toPage(rows.map(importBatchView), page.first, () => store.count(ctx.principal, statuses)));
  }

  @Authorized(...IMPORT_ROLES)
  @Query(() => ImportRowErrorConnection, { description: 'Ошибки и предупреждения по строкам пакета, по порядку (весь список — GET /imports/{id}/errors.csv)' })
  async importErrors(
    @Arg('batchId', () => ID) batchId: string,
    @Args() page: PageArgs,
    @Arg('severity', () => String, { nullable: true, description: 'ERROR или WARNING; не указано — все' }) given: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportRowErrorConnection> {
    const severity = given ?? null;
    if (severity !== null && severity !== 'ERROR' && severity !== 'WARNING') throw badInput('severity: ERROR или WARNING', 'severity');
    const batch = await new ImportRequests(ctx.em, ctx.principal, ctx.jobs).visible(parseBatchId(batchId, 'batchId'));
    const errors = new RowErrorStore(ctx.em.getKnex());
    const rows = await errors.page(batch.id, { first: page.first, afterId: decodeCursor(page.after), severity: severity as Severity | null });
    return ImportRowErrorConnection.from(toPage(rows.map(rowErrorView), page.first, () => errors.count(batch.id, severity as Severity | null)));
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => ImportBatch, { nullable: true,
    description: 'Запустить загрузку файла, принятого POST /imports: формат (или автоопределение), сопоставление столбцов, значения для всего файла, правило для строк с ошибками',
  })
  async startImport(@Arg('input', () => StartImportInput) input: StartImportInput, @Ctx() ctx: RequestContext): Promise<ImportBatch> {
    const given = startOptions(input, input.profile ? await new ImportProfiles(ctx.em.getKnex(), ctx.principal).find(input.profile) : null);
    const layout = given.layout;
    const mapping = given.mapping;
    if (layout !== null && layout !== 'mapped' && mapping !== null) throw badInput('Сопоставление столбцов задаётся только для формата mapped', 'input.mapping');
    if (layout === 'mapped' && mapping === null) throw badInput('Для формата mapped нужно сопоставление столбцов (mapping)', 'input.mapping');
    const { readOptions, policy, maxErrorShare } = given.file;
    const row = await new ImportRequests(ctx.em, ctx.principal, ctx.jobs, ctx.remoteAddress).start(parseBatchId(input.batchId, 'input.batchId'), {
      layoutRequested: layout,
      mapping,
      constants: given.constants,
      readOptions,
      policy,
      maxErrorShare,
      dryRun: input.dryRun === true,
    });
    return importBatchView(row);
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => ImportBatch, {
    nullable: true,
    description:
      'Отменить выполненную загрузку: вернуть всё, что она заменила, и удалить то, что она добавила (одной транзакцией, в очереди imports). ' +
      'Отмена — тоже пакет, её можно отменить. Отказ, если более поздняя загрузка заменила часть тех же данных',
  })
  async revertImport(@Arg('batchId', () => ID) batchId: string, @Ctx() ctx: RequestContext): Promise<ImportBatch> {
    return importBatchView(await new ImportRevert(ctx.em, ctx.principal, ctx.jobs, ctx.remoteAddress).request(parseBatchId(batchId, 'batchId')));
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => ImportBatch, {
    nullable: true,
    description:
      'Перезапустить завершённую загрузку новым пакетом: тот же файл с теми же параметрами (формат, сопоставление, значения, параметры чтения, правило) — ' +
      'например, после подтверждения кодов ОО (confirmSchoolAlias). Можно, пока файл хранится (fileKept); ответ — новый пакет в очереди (rerunOfBatchId)',
  })
  async rerunImport(@Arg('batchId', () => ID) batchId: string, @Ctx() ctx: RequestContext): Promise<ImportBatch> {
    return importBatchView(await new ImportRerun(ctx.em, ctx.principal, ctx.jobs, ctx.remoteAddress).request(parseBatchId(batchId, 'batchId')));
  }

  @FieldResolver(() => Boolean, {
    description: 'Загрузку можно отменить сейчас (revertImport): то же решение, что примет отмена — с проверкой более поздних загрузок той же области и данных, загруженных позже для добавленных ею ОО, муниципалитетов и регионов',
  })
  async revertible(@Root() batch: ImportBatch, @Ctx() ctx: RequestContext): Promise<boolean> {
    return (await revertBlockedReason(ctx.em.getKnex(), batch)) === null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Почему загрузку нельзя отменить сейчас — отказ, который дал бы revertImport (null — можно)' })
  async revertBlockedReason(@Root() batch: ImportBatch, @Ctx() ctx: RequestContext): Promise<string | null> {
    return revertBlockedReason(ctx.em.getKnex(), batch);
  }

  @Authorized(...IMPORT_ROLES)
  @Mutation(() => ImportBatch, { nullable: true, description: 'Отменить загрузку, которая ещё не началась (загружена или в очереди)' })
  async cancelImport(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ImportBatch> {
    return importBatchView(await new ImportRequests(ctx.em, ctx.principal, ctx.jobs, ctx.remoteAddress).cancel(parseBatchId(id, 'id')));
  }
}
