/** What other features may use from src/risk beyond its top-level files (the build forbids reaching into its subfolders). */
export { RiskReadService } from './graphql/risk-read.service';
export { territoryBunching, type TerritoryBunchingVerdict } from './territory/territory-bunching';
