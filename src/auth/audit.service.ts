import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { AuditLogEntry } from './audit-log.entity';
import type { Principal } from '../shared/principal';

export interface AuditEvent {
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

/** Writes audit entries. Details hold ids and counts — never participant rows, names or keys. */
export class AuditService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly remoteAddress: string | null = null,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    const entry = this.em.create(AuditLogEntry, {
      actor: this.principal.actor,
      role: this.principal.role,
      action: event.action,
      target: event.target ?? null,
      details: event.details ?? {},
      remoteAddress: this.remoteAddress,
    });
    await this.em.persistAndFlush(entry);
  }
}

/**
 * The same entry, written in a knex transaction (an import's merge), so that it commits or rolls back with the
 * change it records: a rejected file or a dry run leaves no audit of a rename that did not happen.
 */
export async function recordAuditIn(trx: Knex, principal: Principal, event: AuditEvent): Promise<void> {
  await trx.raw(`insert into audit_log (actor, role, action, target, details) values (?, ?, ?, ?, ?::jsonb)`, [
    principal.actor,
    principal.role,
    event.action,
    event.target ?? null,
    JSON.stringify(event.details ?? {}),
  ]);
}
