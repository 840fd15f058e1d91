import { z } from 'zod';
import {
  CONSENTS,
  FOUNDER_STAGES,
  INVESTOR_TYPES,
  SEGMENTS,
  STANCES,
  type OrganisationStage,
  type Segment,
} from '~/lib/enums';

// A submitted version kept whole (response_versions.snapshot): who the respondent was, their
// publishing choice and every answer, as sent. Written by submitted.ts; read back to tell an
// unchanged resubmission, and by moderation to see which reasons changed since the last one.

const SnapshotAnswerSchema = z.object({
  recommendationId: z.string(),
  stance: z.enum(STANCES).nullable(),
  importance: z.number().int().min(1).max(5).nullable(),
  reasons: z.string().nullable(),
  changeMind: z.string().nullable(),
});

const SnapshotProfileSchema = z.object({
  displayName: z.string(),
  organisation: z.string().nullable(),
  segment: z.enum(SEGMENTS),
  segmentOther: z.string().nullable(),
  organisationStage: z.enum([...FOUNDER_STAGES, ...INVESTOR_TYPES]).nullable(),
  region: z.string().nullable(),
  verified: z.boolean(),
});

export const SnapshotSchema = z.object({
  profile: SnapshotProfileSchema,
  consent: z.enum(CONSENTS),
  overallComments: z.string().nullable(),
  answers: z.array(SnapshotAnswerSchema),
});

export type Snapshot = z.infer<typeof SnapshotSchema>;
export type SnapshotAnswer = Snapshot['answers'][number];

/** A stored snapshot, checked: a version that does not parse is a bug, not data to guess at. */
export function readSnapshot(json: unknown): Snapshot {
  return SnapshotSchema.parse(json);
}

/** The snapshot's profile from a respondent_profiles row, as it is at submission. */
export function profileSnapshot(profile: {
  display_name: string;
  organisation: string | null;
  segment: Segment;
  segment_other: string | null;
  organisation_stage: OrganisationStage | null;
  region: string | null;
  verified: boolean;
}): Snapshot['profile'] {
  return {
    displayName: profile.display_name,
    organisation: profile.organisation,
    segment: profile.segment,
    segmentOther: profile.segment_other,
    organisationStage: profile.organisation_stage,
    region: profile.region,
    verified: profile.verified,
  };
}

/** A snapshot as it compares: answers in a fixed order, whatever order they were read in. */
export function comparableSnapshot(snapshot: Snapshot): Snapshot {
  const answers = [...snapshot.answers].sort((a, b) =>
    a.recommendationId.localeCompare(b.recommendationId),
  );
  return { ...snapshot, answers };
}
