import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { DEFAULT_QUERY_LIMITS, measureOperation } from '../../src/graphql/guard-rails';
import { buildHubSchema } from '../../src/app/schema';

/**
 * The «Comparisons and BI» examples (docs/analytics.md, linked from the README) are valid against the schema and
 * within the default guard rails.
 */
describe('README examples of comparisons and BI', () => {
  const page = readFileSync(path.join(__dirname, '../../docs/analytics.md'), 'utf8');
  const start = page.indexOf('# Comparisons and BI\n');
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has the section, with example queries for every comparison and BI query', () => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(section).toContain('src/comparisons/stats/MODEL.md');
    const text = blocks.join('\n');
    for (const query of ['compareSchools', 'peerGroup', 'cohorts', 'contextCorrelations', 'facts', 'aggregates']) expect(text).toContain(`${query}(`);
  });

  it('validates every example and keeps it within the default depth and cost limits', async () => {
    const schema = await buildHubSchema();
    for (const block of blocks) {
      const document = parse(block);
      expect(validate(schema, document)).toEqual([]);
      for (const operation of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
        const { depth, cost } = measureOperation(schema, document, operation, { schools: ['a', 'b', 'c'] });
        expect({ operation: operation.name?.value, depthOk: depth <= DEFAULT_QUERY_LIMITS.maxDepth, costOk: cost <= DEFAULT_QUERY_LIMITS.maxCost }).toEqual({ operation: operation.name?.value, depthOk: true, costOk: true });
      }
    }
  });
});
