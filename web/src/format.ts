/** Groups a base32 secret in fours for reading and typing ("ABCD EFGH …"). */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
