/** All layouts the hub reads, in the order detection tries them. */
import type { LayoutName } from '../options';
import { aggregateDistributionLayout } from './aggregate-distribution';
import { aggregateMarksLayout } from './aggregate-marks';
import { assessmentScalesLayout } from './assessment-scales';
import { benchmarksLayout } from './benchmarks';
import { conductConditionsLayout } from './conduct-conditions';
import { fisokoVprIndividualLayout } from './fisoko-vpr-individual';
import { giaProtocolLayout } from './gia-protocol';
import type { Layout, TemplateLayout } from './layout';
import { mappedLayout } from './mapped';
import { rechecksLayout } from './rechecks';
import { schoolContextLayout } from './school-context';
import { schoolResultsLayout } from './school-results';
import { schoolsLayout } from './schools';

/** The hub's own templates (documented in TEMPLATES.md). */
export const TEMPLATE_LAYOUTS: readonly TemplateLayout[] = [
  schoolsLayout,
  schoolContextLayout,
  conductConditionsLayout,
  rechecksLayout,
  assessmentScalesLayout,
  benchmarksLayout,
  schoolResultsLayout,
];

/** Layouts tried by auto-detection; `mapped` is only ever chosen explicitly. */
export const DETECTABLE_LAYOUTS: readonly Layout[] = [
  fisokoVprIndividualLayout,
  aggregateMarksLayout,
  aggregateDistributionLayout,
  giaProtocolLayout,
  ...TEMPLATE_LAYOUTS,
];

export const ALL_LAYOUTS: readonly Layout[] = [...DETECTABLE_LAYOUTS, mappedLayout];

export function layoutByName(name: string): Layout | null {
  return ALL_LAYOUTS.find((layout) => layout.name === name) ?? null;
}

export const LAYOUT_NAMES: readonly LayoutName[] = ALL_LAYOUTS.map((layout) => layout.name);
