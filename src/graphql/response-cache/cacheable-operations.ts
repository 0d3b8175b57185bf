/**
 * Which queries may be answered from the response cache: those that only read assessment data, its analysis
 * and the reference tables — all of it changes through writes the data-change triggers see. Not cached: the
 * caller's own key, keys, the audit log, imports and jobs (their state changes outside those tables or every
 * second), overdue measures (they depend on today) and anything not listed here, including introspection.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'aggregates', 'assessments', 'benchmarks', 'cohorts', 'compareSchools', 'contextCorrelations', 'contextModel', 'examTotalAggregates', 'examTotalFacts', 'facts',
  'measureCatalogue', 'measureHistory', 'peerGroup', 'recommendationRules', 'region', 'regions', 'riskMethodology',
  'riskRanking', 'school', 'schools', 'subjects', 'territoryBunching',
]);

// provisionalScales: an administrator's worklist, read rarely and expected fresh right after a confirmation.
export const UNCACHED_ROOT_FIELDS: ReadonlySet<string> = new Set(['apiKeys', 'auditLog', 'importBatch', 'importBatches', 'importErrors', 'importProfiles', 'job', 'me', 'overdueMeasures', 'provisionalScales']);

/** Root field names of a query operation, through fragments (each visited once: linear in the document); null when it is not a query. */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): Set<string> | null {
  if (operation.operation !== 'query') return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const names = new Set<string>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return names;
}

export function isCacheableOperation(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const names = rootFields(document, operation);
  return names !== null && names.size > 0 && [...names].every((name) => name === '__typename' || CACHEABLE_ROOT_FIELDS.has(name));
}
