import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { badInput } from './errors';

/** Relay-style forward pagination by keyset on the numeric id: stable under inserts, O(page) per request. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: 'Сколько записей вернуть (1–500)' })
  @Min(1)
  @Max(500)
  first: number = 50;

  @Field(() => String, { nullable: true, description: 'Курсор (endCursor предыдущей страницы)' })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

const CURSOR_PREFIX = 'id:';

export function encodeCursor(id: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number | null {
  if (cursor == null || cursor === '') return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(id) || id < 0) {
    throw badInput(`Неверный курсор "${cursor}": передайте endCursor из предыдущего ответа`, 'after');
  }
  return id;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  count: () => Promise<number>;
}

/** A page of one more row than asked tells whether another page follows, without a count query. */
export function toPage<T extends { id: number }>(rows: T[], first: number, count: () => Promise<number>): Page<T> {
  return { nodes: rows.slice(0, first), hasNextPage: rows.length > first, count };
}

export function Connection<T extends { id: number }>(NodeClass: ClassType<T>) {
  @ObjectType(`${NodeClass.name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => NodeClass)
    node!: T;
  }

  // type-graphql 2 emits only reachable types: this base is never referenced, its subclasses are.
  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    private counter!: () => Promise<number>;

    @Field(() => Int, { description: 'Общее число записей с учётом фильтров (отдельный запрос)' })
    totalCount(): Promise<number> {
      return this.counter();
    }

    static from(page: Page<T>): ConnectionClass {
      const connection = Object.create(this.prototype) as ConnectionClass;
      connection.edges = page.nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
      connection.pageInfo = {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: connection.edges[0]?.cursor ?? null,
        endCursor: connection.edges.at(-1)?.cursor ?? null,
      };
      connection.counter = page.count;
      return connection;
    }
  }
  return ConnectionClass;
}
