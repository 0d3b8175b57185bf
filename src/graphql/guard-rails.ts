/**
 * Limits a GraphQL document must keep before any of it runs. Each check is linear in the document's size:
 * the text's length is checked before parsing, the parser stops at a token budget, and the expanded measures
 * (fields, root fields, depth, cost) are computed with each fragment measured once per type it is spread on and
 * reused — a fragment spread twice on each of 20 levels costs 20 measurements, not 2^20 (issue «Hardening»).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import {
  BREAK, getNamedType, getNullableType, GraphQLError, GraphQLList, isObjectType, Kind, visit,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  /** Upper bound of the rows an operation can touch (see measureOperation). */
  maxCost: number;
  /** Length of the query text, in characters. */
  maxQueryLength: number;
  /** Tokens the parser reads before giving up. */
  maxTokens: number;
  /** Fragment definitions in one document. */
  maxFragments: number;
  /** Field selections after fragments are expanded, aliases each counted. */
  maxFields: number;
  /** Root fields after fragments are expanded: each alias of an analytical query is a query of its own. */
  maxRootFields: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 15,
  maxCost: 250_000,
  maxQueryLength: 32_768,
  maxTokens: 5_000,
  maxFragments: 100,
  maxFields: 2_000,
  maxRootFields: 20,
};

/** Page size assumed for a list or connection that does not say `first`. */
const DEFAULT_PAGE = 50;

export interface QueryMeasure {
  depth: number;
  cost: number;
  /** Field selections after expansion (introspection included). */
  fields: number;
  /** Fields selected at the operation's root after expansion. */
  rootFields: number;
}

/** What a selection set adds, independent of where it stands: cost per unit of the enclosing page multiplier. */
interface SetMeasure {
  /** Levels of nested object fields below this set. */
  depth: number;
  /** Cost with a multiplier of 1; cost scales linearly with the multiplier, so it is reused for any. */
  unitCost: number;
  fields: number;
  /** Fields directly at this level, through fragments. */
  top: number;
}

/**
 * Depth, size and an upper bound of the rows a query can touch: each field costs 1 times the page sizes of the
 * lists and connections it is nested in (their `first` — literal or variable — or 50). Introspection costs no
 * rows but its fields are counted. Linear in the document: a fragment is measured once per parent type.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const memo = new Map<string, SetMeasure>();
  const inProgress = new Set<string>();

  const firstOf = (field: FieldNode): number => {
    const argument = field.arguments?.find((a) => a.name.value === 'first');
    const value = argument ? literal(argument.value, variables) : undefined;
    return typeof value === 'number' && value > 0 ? value : DEFAULT_PAGE;
  };
  const typeNamed = (name: string | undefined, fallback: GraphQLObjectType | null): GraphQLObjectType | null => {
    if (!name || !fallback) return fallback;
    const type = schema.getType(name);
    return isObjectType(type) ? type : fallback;
  };

  // `parent` null: introspection or an unknown field — counted, never costed.
  const measureSet = (parent: GraphQLObjectType | null, set: SelectionSetNode): SetMeasure => {
    const result: SetMeasure = { depth: 0, unitCost: 0, fields: 0, top: 0 };
    const add = (inner: SetMeasure, levels: number, multiplier: number) => {
      result.depth = Math.max(result.depth, inner.depth + levels);
      result.unitCost += inner.unitCost * multiplier;
      result.fields += inner.fields;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        result.fields += 1;
        result.top += 1;
        const name = selection.name.value;
        const costed = parent !== null && !name.startsWith('__');
        if (costed) result.unitCost += 1;
        if (!selection.selectionSet) continue;
        const definition = costed ? parent.getFields()[name] : undefined;
        const named = definition ? getNamedType(definition.type) : undefined;
        const child = named && isObjectType(named) ? named : null;
        let multiplier = 1;
        if (definition && child) {
          // A connection counts its page once; its `edges` list is that same page.
          const isList = getNullableType(definition.type) instanceof GraphQLList && !parent!.name.endsWith('Connection');
          if (isList || child.name.endsWith('Connection')) multiplier = firstOf(selection);
        }
        add(measureSet(child, selection.selectionSet), child ? 1 : 0, multiplier);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = measureSet(typeNamed(selection.typeCondition?.name.value, parent), selection.selectionSet);
        add(inner, 0, 1);
        result.top += inner.top;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const type = typeNamed(fragment.typeCondition.name.value, parent);
        const key = `${fragment.name.value}|${type?.name ?? ''}`;
        let inner = memo.get(key);
        if (!inner) {
          // Validation refuses cycles; an unvalidated document with one is measured as if the cycle stopped here.
          if (inProgress.has(key)) continue;
          inProgress.add(key);
          inner = measureSet(type, fragment.selectionSet);
          inProgress.delete(key);
          memo.set(key, inner);
        }
        add(inner, 0, 1);
        result.top += inner.top;
      }
    }
    return result;
  };
  const measured = measureSet(root ?? null, operation.selectionSet);
  return { depth: 1 + measured.depth, cost: measured.unitCost, fields: measured.fields, rootFields: measured.top };
}

function literal(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.INT) return Number(value.value);
  return undefined;
}

const tooComplex = (message: string, extensions: Record<string, unknown>) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...extensions, http: { status: 400 } } });

/** The first limit a parsed operation exceeds, as the error to answer with; null when it keeps them all. */
function checkOperation(limits: QueryLimits, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): GraphQLError | null {
  const fragmentCount = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).length;
  if (fragmentCount > limits.maxFragments) {
    return tooComplex(`Запрос содержит ${fragmentCount} фрагментов при допустимых ${limits.maxFragments}`, { fragments: fragmentCount, maxFragments: limits.maxFragments });
  }
  const { depth, cost, fields, rootFields } = measureOperation(schema, document, operation, variables);
  if (rootFields > limits.maxRootFields) {
    return tooComplex(
      `Запрос содержит ${rootFields} корневых полей (с псевдонимами и фрагментами) при допустимых ${limits.maxRootFields}; разбейте его на несколько запросов`,
      { rootFields, maxRootFields: limits.maxRootFields },
    );
  }
  if (fields > limits.maxFields) {
    return tooComplex(`Запрос содержит ${fields} полей после раскрытия фрагментов при допустимых ${limits.maxFields}`, { fields, maxFields: limits.maxFields });
  }
  if (depth > limits.maxDepth) {
    return tooComplex(`Запрос слишком глубокий: ${depth} уровней вложенности при допустимых ${limits.maxDepth}`, { depth, maxDepth: limits.maxDepth });
  }
  if (cost > limits.maxCost) {
    return tooComplex(
      `Запрос слишком дорогой: оценка ${cost} при допустимых ${limits.maxCost}; уменьшите first во вложенных списках или разбейте запрос на части`,
      { cost, maxCost: limits.maxCost },
    );
  }
  return null;
}

/**
 * Refuses a query text longer than the limit before it is parsed, authenticated or looked up in the cache:
 * the cheapest check comes first. Answers in GraphQL's error format, as Apollo would.
 */
export function queryLengthMiddleware(maxQueryLength: number): express.RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | unknown[] | undefined;
    const queries = Array.isArray(body) ? body.map((b) => (b as { query?: unknown })?.query) : [body?.query];
    const length = queries.reduce<number>((sum, query) => sum + (typeof query === 'string' ? query.length : 0), 0);
    if (length <= maxQueryLength) return next();
    res.status(400).json({
      errors: [{ message: `Текст запроса длиннее допустимого: ${length} символов при допустимых ${maxQueryLength}`, extensions: { code: 'QUERY_TOO_COMPLEX', length, maxQueryLength } }],
    });
  };
}

/**
 * Where a string the database cannot store (a NUL character: PostgreSQL text refuses it) stands in the
 * request: `$variable.path` or `field(argument.path)`; null when nowhere. Checked once here so that no
 * resolver meets it as a database error.
 */
function findUnstorableString(document: DocumentNode, variables: Record<string, unknown>): string | null {
  const inValue = (value: unknown, path: string): string | null => {
    if (typeof value === 'string') return value.includes('\0') ? path : null;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = inValue(value[i], `${path}[${i}]`);
        if (found) return found;
      }
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        const found = inValue(inner, `${path}.${key}`);
        if (found) return found;
      }
    }
    return null;
  };
  for (const [name, value] of Object.entries(variables)) {
    const place = inValue(value, `$${name}`);
    if (place) return place;
  }
  const inLiteral = (value: ValueNode, path: string): string | null => {
    if (value.kind === Kind.STRING) return value.value.includes('\0') ? path : null;
    if (value.kind === Kind.LIST) {
      for (let i = 0; i < value.values.length; i++) {
        const place = inLiteral(value.values[i], `${path}[${i}]`);
        if (place) return place;
      }
    }
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        const place = inLiteral(field.value, `${path}.${field.name.value}`);
        if (place) return place;
      }
    }
    return null;
  };
  let place: string | null = null;
  visit(document, {
    Argument(node, _key, _parent, _path, ancestors) {
      if (place) return BREAK;
      const field = ancestors[ancestors.length - 1];
      const owner = field && 'kind' in field && field.kind === Kind.FIELD ? field.name.value : 'директива';
      place = inLiteral(node.value, `${owner}(${node.name.value})`);
      return false;
    },
  });
  return place;
}

/** Refuses, before any resolver runs, operations beyond the limits or with values that cannot be stored, saying which. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const unstorable = findUnstorableString(document, request.variables ?? {});
          if (unstorable) {
            throw new GraphQLError(`Недопустимый символ NUL (\\u0000) в значении ${unstorable}: такие строки не сохраняются`, { extensions: { code: 'BAD_USER_INPUT', argument: unstorable, http: { status: 400 } } });
          }
          const refusal = checkOperation(limits, schema, document, operation, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}
