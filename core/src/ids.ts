import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';

declare const brand: unique symbol;
/** A string that cannot be mixed up with another kind of id. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type OrgId = Brand<string, 'OrgId'>;
export type UserId = Brand<string, 'UserId'>;
export type RunId = Brand<string, 'RunId'>;

/** The stream for facts that belong to no organisation. */
export const PLATFORM_ORG = '_platform' as OrgId;

export const eventId = (): string => v7();

/** `prefix_` + 20 url-safe random characters, sortable by nothing: ids carry no time or order. */
export const newId = <T extends string = string>(prefix: string): T =>
  `${prefix}_${randomBytes(15).toString('base64url')}` as T;
