/**
 * GraphQL execution compiled per query (graphql-jit) instead of interpreted per field (graphql-js execute).
 * The hub's read queries are few and repeated — cards, comparisons, BI pages — and return thousands of
 * fields: a compiled query resolves them with plain property reads and no per-field argument or path
 * bookkeeping. Apollo still parses, validates and runs every plugin (guard rails, cache, metrics); only
 * execution changes, through its documented gateway interface. Compiled queries are kept per query hash
 * and operation, most recently used first.
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, printSchema, typeFromAST,
  type ExecutionResult, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

// A compiled query holds generated code for every field it selects: the cache is bounded by count, kept small.
const MAX_COMPILED = 200;

/** A default value (internal, as the schema holds it) as a client would have sent it. */
function externalValue(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return externalValue(value, type.ofType);
  if (isListType(type)) return Array.isArray(value) ? value.map((item) => externalValue(item, type.ofType)) : externalValue(value, type.ofType);
  if (isEnumType(type) || isScalarType(type)) return type.serialize(value);
  if (isInputObjectType(type)) return withFieldDefaults(value as Record<string, unknown>, type);
  return value;
}

function withFieldDefaults(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (isNonNullType(type)) return withFieldDefaults(value, type.ofType);
  if (isListType(type)) return Array.isArray(value) ? value.map((item) => withFieldDefaults(item, type.ofType)) : withFieldDefaults(value, type.ofType);
  if (!isInputObjectType(type)) return value;
  const input = value as Record<string, unknown>;
  const filled: Record<string, unknown> = { ...input };
  for (const field of Object.values(type.getFields())) {
    if (field.name in input) filled[field.name] = withFieldDefaults(input[field.name], field.type);
    else if (field.defaultValue !== undefined) filled[field.name] = externalValue(field.defaultValue, field.type);
  }
  return filled;
}

/**
 * graphql-jit 0.8.9 does not apply the defaults of input-object fields given through variables (a variable
 * `{ batchId: "1" }` of a type with `policy: ImportPolicy! = REJECT_ALL` is refused), unlike literal
 * arguments and graphql-js. The defaults are filled in here, as the client would have written them.
 */
export function variablesWithInputDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (type && name in variables) result[name] = withFieldDefaults(variables[name], type);
  }
  return result;
}

export function jitExecutor(schema: GraphQLSchema, maxCompiled = MAX_COMPILED): GatewayExecutor {
  const compiled = new Map<string, CompiledQuery>();
  return async (request) => {
    const key = `${request.queryHash}|${request.operationName ?? ''}`;
    let query = compiled.get(key);
    if (query) {
      compiled.delete(key);
    } else {
      const result = compileQuery(schema, request.document, request.operationName ?? undefined, { customJSONSerializer: false });
      if (!isCompiledQuery(result)) return result as ExecutionResult;
      query = result;
      if (compiled.size >= maxCompiled) compiled.delete(compiled.keys().next().value!);
    }
    compiled.set(key, query);
    const result = await query.query(undefined, request.context, variablesWithInputDefaults(schema, request.operation, request.request.variables ?? {}));
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/**
 * graphql-jit wraps a resolver's error in its own error type without `extensions` when the thrown error had
 * none (a database error, a TypeError). Apollo's error handling reads `extensions.code` and, failing, answers
 * the whole operation with a bare internal error — losing the data of fields that did succeed (a committed
 * mutation reported as `data: null`) and the hub's own logging. graphql-js's error fills all of that in.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  return new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: {} });
}

/** The local schema served as an Apollo "gateway" whose executor is the compiled one. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const executor = jitExecutor(schema);
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}
