/** What other features may use from src/recommendations (the build forbids reaching into its subfolders). */
export { PlanService } from './plans/plan.service';
export { TOUCHED } from './plans/plan-sync';
