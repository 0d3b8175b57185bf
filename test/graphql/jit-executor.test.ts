import { buildSchema, execute, GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import { jitExecutor, variablesWithInputDefaults } from '../../src/graphql/jit-executor';

const schema = buildSchema(`
  enum Policy { REJECT_ALL ACCEPT_VALID }
  input Inner { level: Int = 2 }
  input Start { id: ID! policy: Policy! = REJECT_ALL share: Float inner: [Inner!] }
  type Query { start(input: Start!): String  denied: String  items: [Int!]! }
`);
const fields = schema.getQueryType()!.getFields();
fields.start.resolve = (_root, args) => JSON.stringify(args.input);
fields.denied.resolve = () => {
  throw new GraphQLError('Нет доступа', { extensions: { code: 'FORBIDDEN' } });
};
fields.items.resolve = () => [1, 2, 3];

const operationOf = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;

describe('compiled execution', () => {
  it('fills in the defaults of input fields given through variables, as graphql-js does', async () => {
    const source = 'query($input: Start!) { start(input: $input) }';
    const variables = { input: { id: '7', inner: [{}, { level: 5 }] } };
    expect(variablesWithInputDefaults(schema, operationOf(source), variables)).toEqual({ input: { id: '7', policy: 'REJECT_ALL', inner: [{ level: 2 }, { level: 5 }] } });
    const run = jitExecutor(schema);
    const document = parse(source);
    const compiled = await run({ queryHash: 'a', operationName: null, document, operation: operationOf(source), context: {}, request: { variables } } as never);
    const interpreted = await execute({ schema, document, variableValues: variables });
    expect(compiled).toEqual(interpreted);
    expect(JSON.parse((compiled.data as { start: string }).start)).toEqual({ id: '7', policy: 'REJECT_ALL', inner: [{ level: 2 }, { level: 5 }] });
  });

  it('keeps error codes and paths, and returns the same data as graphql-js', async () => {
    const source = '{ denied items }';
    const document = parse(source);
    const compiled = await jitExecutor(schema)({ queryHash: 'b', operationName: null, document, operation: operationOf(source), context: {}, request: {} } as never);
    expect(compiled.data).toEqual({ denied: null, items: [1, 2, 3] });
    expect(compiled.errors?.[0]).toMatchObject({ message: 'Нет доступа', path: ['denied'], extensions: { code: 'FORBIDDEN' } });
  });
});
