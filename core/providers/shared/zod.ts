/**
 * Schema building blocks shared by the providers. Payload schemas require only what identifies an
 * event and keep every other key (`z.looseObject`): gateways add fields across versions and engines.
 */
import { z } from 'zod';

export const nonEmptyString = z.string().min(1);

/** A number that some gateways send as a string (WAHA coordinates). */
export const numberish = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** Optional string that may also be null. */
export const optString = z.string().nullish();
export const optBool = z.boolean().nullish();
export const optNumber = z.number().nullish();

/** Unix seconds/ms as a number or a string, or ISO 8601. */
export const timeValue = z.union([z.number(), z.string()]).nullish();
