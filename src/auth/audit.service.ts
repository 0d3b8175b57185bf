import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLogEntry } from './audit-log.entity';
import type { Principal } from './principal';

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
