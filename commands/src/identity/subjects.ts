/** Subject names of the identity aggregates, inside an org's stream (users: the platform stream). */
export const subjects = {
  org: (orgId: string) => `org/${orgId}`,
  invitation: (invitationId: string) => `invitation/${invitationId}`,
  apiKey: (keyId: string) => `api-key/${keyId}`,
  user: (userId: string) => `user/${userId}`,
  login: (emailHash: string) => `login/${emailHash.slice(0, 32)}`,
};
