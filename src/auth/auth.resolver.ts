import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { ApiKey } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import { AuditLogEntry } from './audit-log.entity';
import { AuditLogArgs, CreateApiKeyInput, CreatedApiKeyType, Me } from './auth.types';
import { Role } from '../shared/role';

@Resolver()
export class AuthResolver {
  @Query(() => Me, { description: 'Роль и область видимости текущего ключа' })
  me(@Ctx() ctx: RequestContext): Me {
    const { actor, role, regionId, municipalityId, schoolId } = ctx.principal;
    return { actor, role, regionId, municipalityId, schoolId };
  }

  @Authorized(Role.ADMIN)
  @Query(() => [ApiKey], { description: 'Ключи доступа (без секретов)' })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return ctx.em.find(ApiKey, {}, { orderBy: { id: 'asc' } });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreatedApiKeyType, { nullable: true, description: 'Создать ключ доступа; ключ показывается один раз' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreatedApiKeyType> {
    return new ApiKeyService(ctx.em, ctx.principal, ctx.remoteAddress).create(input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiKey, { nullable: true, description: 'Отозвать ключ доступа' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    if (!/^\d+$/.test(id)) throw badInput(`Неверный id ключа: "${id}"`, 'id');
    return new ApiKeyService(ctx.em, ctx.principal, ctx.remoteAddress).revoke(Number(id));
  }

  @Authorized(Role.ADMIN)
  @Query(() => [AuditLogEntry], { description: 'Журнал аудита, новые записи первыми' })
  auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: RequestContext): Promise<AuditLogEntry[]> {
    return ctx.em.find(
      AuditLogEntry,
      { ...(args.action ? { action: args.action } : {}), ...(args.since ? { at: { $gte: args.since } } : {}) },
      { orderBy: { id: 'desc' }, limit: args.limit },
    );
  }
}
