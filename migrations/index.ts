import { Migration20261122000100_foundation } from './Migration20261122000100_foundation';
import { Migration20261122000200_access } from './Migration20261122000200_access';
import { Migration20261122000300_risk } from './Migration20261122000300_risk';
import { Migration20261122000400_plans } from './Migration20261122000400_plans';
import { Migration20261122000500_imports } from './Migration20261122000500_imports';
import { Migration20261203000100_data_changes } from './Migration20261203000100_data_changes';
import { Migration20261203000200_participant_indexes } from './Migration20261203000200_participant_indexes';
import { Migration20261203000300_key_changes } from './Migration20261203000300_key_changes';
import { Migration20261203000400_key_changes_ignore_use } from './Migration20261203000400_key_changes_ignore_use';
import { Migration20261203000500_participant_id_cache } from './Migration20261203000500_participant_id_cache';
import { Migration20261207000200_regional_scales } from './Migration20261207000200_regional_scales';
import { Migration20261207001100_directory_unknowns } from './Migration20261207001100_directory_unknowns';
import { Migration20261212000100_import_undo } from './Migration20261212000100_import_undo';
import { Migration20261207003000_zone_states } from './Migration20261207003000_zone_states';
import { Migration20261214000100_school_results } from './Migration20261214000100_school_results';
import { Migration20261214000200_import_profiles } from './Migration20261214000200_import_profiles';
import { Migration20261214000300_school_candidates } from './Migration20261214000300_school_candidates';
import { Migration20261214000400_school_ogrn_address } from './Migration20261214000400_school_ogrn_address';
import { Migration20261215001300_undo_created_partitions } from './Migration20261215001300_undo_created_partitions';
import { Migration20261216000100_import_profile_options } from './Migration20261216000100_import_profile_options';
import { Migration20261218000100_participant_code_collation } from './Migration20261218000100_participant_code_collation';
import { Migration20261217000100_exam_total_changes } from './Migration20261217000100_exam_total_changes';

/** Migrations in order; listed explicitly so that ts-node, ts-jest and compiled code all find them. */
export const migrationsList = [
  { name: 'Migration20261122000100_foundation', class: Migration20261122000100_foundation },
  { name: 'Migration20261122000200_access', class: Migration20261122000200_access },
  { name: 'Migration20261122000300_risk', class: Migration20261122000300_risk },
  { name: 'Migration20261122000400_plans', class: Migration20261122000400_plans },
  { name: 'Migration20261122000500_imports', class: Migration20261122000500_imports },
  { name: 'Migration20261203000100_data_changes', class: Migration20261203000100_data_changes },
  { name: 'Migration20261203000200_participant_indexes', class: Migration20261203000200_participant_indexes },
  { name: 'Migration20261203000300_key_changes', class: Migration20261203000300_key_changes },
  { name: 'Migration20261203000400_key_changes_ignore_use', class: Migration20261203000400_key_changes_ignore_use },
  { name: 'Migration20261203000500_participant_id_cache', class: Migration20261203000500_participant_id_cache },
  { name: 'Migration20261207000200_regional_scales', class: Migration20261207000200_regional_scales },
  { name: 'Migration20261207001100_directory_unknowns', class: Migration20261207001100_directory_unknowns },
  { name: 'Migration20261212000100_import_undo', class: Migration20261212000100_import_undo },
  { name: 'Migration20261207003000_zone_states', class: Migration20261207003000_zone_states },
  { name: 'Migration20261214000100_school_results', class: Migration20261214000100_school_results },
  { name: 'Migration20261214000200_import_profiles', class: Migration20261214000200_import_profiles },
  { name: 'Migration20261214000300_school_candidates', class: Migration20261214000300_school_candidates },
  { name: 'Migration20261214000400_school_ogrn_address', class: Migration20261214000400_school_ogrn_address },
  { name: 'Migration20261215001300_undo_created_partitions', class: Migration20261215001300_undo_created_partitions },
  { name: 'Migration20261216000100_import_profile_options', class: Migration20261216000100_import_profile_options },
  { name: 'Migration20261217000100_exam_total_changes', class: Migration20261217000100_exam_total_changes },
  { name: 'Migration20261218000100_participant_code_collation', class: Migration20261218000100_participant_code_collation },
];
