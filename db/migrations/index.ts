import type { Migration } from 'kysely';
import * as createFoundation from './2026_11_25_0900_create_foundation';
import * as createResponses from './2026_11_25_1000_create_responses';
import * as createDiscussion from './2026_11_25_1100_create_discussion';
import * as addQuoteStatus from './2026_11_25_1150_add_quote_status';
import * as createNotifications from './2026_11_25_1160_create_notifications';
import * as createModeration from './2026_12_01_1200_create_moderation';
import * as createTrust from './2026_12_01_1210_create_trust';
import * as createResults from './2026_12_01_1300_create_results';
import * as addResultsVisibility from './2026_12_01_1310_add_results_visibility';
import * as createEmail from './2026_12_02_1000_create_email';
import * as addPrivacy from './2026_12_02_1100_add_privacy';
import * as addConsentLimitsAppeals from './2026_12_02_1200_add_consent_limits_appeals';
import * as addRecommendationLifecycle from './2026_12_02_1300_add_recommendation_lifecycle';
import * as addWriteIdempotency from './2026_12_02_2000_add_write_idempotency';
import * as storeRenderedMarkdown from './2026_12_03_0100_store_rendered_markdown';
import * as roleInvitations from './2026_12_03_0300_role_invitations';
import * as renameFlagsToReports from './2026_12_03_0800_rename_flags_to_reports';
import * as createSummaries from './2026_12_04_0900_create_summaries';

/** Every migration, by name. An explicit list works under Vite, Vitest and tsx alike. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_0900_create_foundation': createFoundation,
  '2026_11_25_1000_create_responses': createResponses,
  '2026_11_25_1100_create_discussion': createDiscussion,
  '2026_11_25_1150_add_quote_status': addQuoteStatus,
  '2026_11_25_1160_create_notifications': createNotifications,
  '2026_12_01_1200_create_moderation': createModeration,
  '2026_12_01_1210_create_trust': createTrust,
  '2026_12_01_1300_create_results': createResults,
  '2026_12_01_1310_add_results_visibility': addResultsVisibility,
  '2026_12_02_1000_create_email': createEmail,
  '2026_12_02_1100_add_privacy': addPrivacy,
  '2026_12_02_1200_add_consent_limits_appeals': addConsentLimitsAppeals,
  '2026_12_02_1300_add_recommendation_lifecycle': addRecommendationLifecycle,
  '2026_12_02_2000_add_write_idempotency': addWriteIdempotency,
  '2026_12_03_0100_store_rendered_markdown': storeRenderedMarkdown,
  '2026_12_03_0300_role_invitations': roleInvitations,
  '2026_12_03_0800_rename_flags_to_reports': renameFlagsToReports,
  '2026_12_04_0900_create_summaries': createSummaries,
};
