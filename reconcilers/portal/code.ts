/**
 * The invitation code: the credential a customer types on the portal's Redeem invitation page. It
 * is generated as Microsoft's portal code does (Adoxio/xRM-Portals-Community-Edition, the invitation
 * manager: 128 random bytes in Base64 with `+`, `/` and `=` replaced by `-`, about 172 characters,
 * within adx_invitationcode's 200) from the operating system's CSPRNG, when the request is built at
 * apply time. It travels only in that request's body and the environment's own invitation email; it
 * is never in a Change, a plan, a report, a run record, a log or telemetry, and never read back.
 */
import { randomBytes } from 'node:crypto';

export const CODE_MAX_LENGTH = 200;

export function invitationCode(): string {
  return randomBytes(128).toString('base64').replace(/[+/=]/g, '-');
}
