import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType, getNullableType, GraphQLError, GraphQLList, isObjectType, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** Page size assumed for a list or connection that does not say `first`. */
const DEFAULT_PAGE = 50;

export interface QueryMeasure {
  depth: number;
  cost: number;
}

/**
 * Depth and an upper bound of the rows a query can touch: each field costs 1 times the page sizes of the
 * lists and connections it is nested in (their `first` — literal or variable — or 50). Fragments are expanded,
 * introspection is free.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return { depth: 0, cost: 0 };

  const firstOf = (field: FieldNode): number => {
    const argument = field.arguments?.find((a) => a.name.value === 'first');
    const value = argument ? literal(argument.value, variables) : undefined;
    return typeof value === 'number' && value > 0 ? value : DEFAULT_PAGE;
  };

  const walk = (parent: GraphQLObjectType, set: SelectionSetNode, depth: number, multiplier: number, seen: ReadonlySet<string>): QueryMeasure => {
    let result: QueryMeasure = { depth, cost: 0 };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        result.cost += multiplier;
        const definition = parent.getFields()[selection.name.value];
        if (!definition || !selection.selectionSet) continue;
        const named = getNamedType(definition.type);
        if (!isObjectType(named)) continue;
        // A connection counts its page once; its `edges` list is that same page.
        const isList = getNullableType(definition.type) instanceof GraphQLList && !parent.name.endsWith('Connection');
        const isConnection = named.name.endsWith('Connection');
        const inner = walk(named, selection.selectionSet, depth + 1, multiplier * (isList || isConnection ? firstOf(selection) : 1), seen);
        result = { depth: Math.max(result.depth, inner.depth), cost: result.cost + inner.cost };
      } else {
        const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
        const fragment = name ? fragments.get(name) : null;
        const innerSet = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment?.selectionSet;
        if (!innerSet || (name && seen.has(name))) continue;
        const inner = walk(parent, innerSet, depth, multiplier, name ? new Set([...seen, name]) : seen);
        result = { depth: Math.max(result.depth, inner.depth), cost: result.cost + inner.cost };
      }
    }
    return result;
  };
  return walk(root, operation.selectionSet, 1, 1, new Set());
}

function literal(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.INT) return Number(value.value);
  return undefined;
}

/** Refuses, before any resolver runs, operations deeper or costlier than the limits, saying the limit. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const { depth, cost } = measureOperation(schema, document, operation, request.variables ?? {});
          if (depth > limits.maxDepth) {
            throw new GraphQLError(`Запрос слишком глубокий: ${depth} уровней вложенности при допустимых ${limits.maxDepth}`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', depth, maxDepth: limits.maxDepth, http: { status: 400 } },
            });
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `Запрос слишком дорогой: оценка ${cost} при допустимых ${limits.maxCost}; уменьшите first во вложенных списках или разбейте запрос на части`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
