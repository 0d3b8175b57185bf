/** What other features may use from src/schools beyond its top-level files (the build forbids reaching into its subfolders). */
export { territoryCodeProblem, territoryNameProblem } from './admin/territory.service';
