import { z } from 'zod';
import { CommentSchema, EndorseSchema, HelpfulVoteSchema } from './discussion';

const commentId = z.uuid({ error: 'Reload the page and try again' });

/** Every form on a recommendation's public page, told apart by its `intent`. */
export const RecommendationPageSchema = z.discriminatedUnion('intent', [
  EndorseSchema,
  CommentSchema.extend({ intent: z.literal('comment') }),
  HelpfulVoteSchema.extend({ commentId }),
]);
export type RecommendationPageInput = z.infer<typeof RecommendationPageSchema>;
