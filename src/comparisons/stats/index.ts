/**
 * The pure statistical core of school comparisons and BI analytics (see MODEL.md): no ORM, no GraphQL.
 *
 * Units, everywhere in this folder:
 * - a **share** is a proportion in [0, 1] (0.12 = 12 %), and a difference of shares is in the same
 *   unit (0.10 = 10 percentage points); benchmark tables that hold percent must be divided by 100;
 * - a **mean % of max** is on 0–100, a test score on its own 0–100 scale, a mark on 2–5.
 */
export * from './insufficient-data';
export * from './difference';
export * from './inference';
export * from './student-t-quantile';
export * from './chi-square';
export * from './observations';
export * from './share-difference';
export * from './mean-difference';
export * from './assumed-spread';
export * from './observation-difference';
export * from './mark-distribution';
export * from './trend';
export * from './year-to-year';
export * from './weighted-least-squares';
export * from './context-design';
export * from './context-model';
export * from './context-bands';
export * from './ranks';
export * from './correlation';
