import { z } from 'zod';

export const DeleteAccountSchema = z.strictObject({
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(256, { error: 'Password must be 256 characters or fewer' }),
  confirm: z.literal('yes', { error: 'Confirm that you want to delete your account' }),
});
export type DeleteAccountInput = z.infer<typeof DeleteAccountSchema>;
