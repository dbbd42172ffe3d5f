import { z } from 'zod';

/** The value shapes environment variables come in, shared by every part's configuration. */
export const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce.number().int('expected an integer').min(0).max(65535);
export const positiveInt = z.coerce.number().int('expected an integer').positive('expected a positive number');
