/**
 * The customer portal family's app settings (issue 13, docs/configuration.md "Customer portal"):
 * which Power Pages website, which web role, how long an invitation lasts and whether the
 * environment's Send Invitation workflow mails it. PORTAL_WEBSITE_ID turns the family on: the
 * self-scheduling portal is a Microsoft preview, so nothing happens until an admin names the site.
 */
import { noFamilyError, type FamilySettingsSpec, type Readers, type Settings } from '../../src/config.js';

export interface PortalSettings {
  /** adx_websiteid of the Field Service portal. */
  websiteId: string;
  /** The web role looked up by name and website (default "Web API Users"). */
  webRoleName: string;
  /** Days from issue until an invitation's adx_expirydate (1–365, default 14). */
  invitationExpiryDays: number;
  /** Run the Send Invitation workflow on each new invitation (default true). */
  sendInvitation: boolean;
  /** The workflow's name, looked up per environment (default "Send Invitation"). */
  sendInvitationWorkflowName: string;
}

declare module '../../src/config.js' {
  interface FamilySettings {
    portal?: PortalSettings;
  }
}

export const PORTAL_SETTING_DEFAULTS = {
  PORTAL_WEB_ROLE_NAME: 'Web API Users',
  PORTAL_INVITATION_EXPIRY_DAYS: '14',
  PORTAL_SEND_INVITATION: 'true',
  PORTAL_SEND_INVITATION_WORKFLOW: 'Send Invitation',
} as const;

/** Only the website turns the family on; the others have defaults (src/config.ts reads them only then). */
export const PORTAL_SETTING_NAMES = ['PORTAL_WEBSITE_ID'] as const;

function loadPortalSettings(r: Readers): PortalSettings {
  const websiteId = r.guid('PORTAL_WEBSITE_ID', r.required('PORTAL_WEBSITE_ID', 'Set it to the adx_websiteid of the Field Service portal (Portal Management → Websites).'), "the portal website's adx_websiteid");
  const webRoleName = r.get('PORTAL_WEB_ROLE_NAME') ?? PORTAL_SETTING_DEFAULTS.PORTAL_WEB_ROLE_NAME;
  if (webRoleName.length > 100) r.problems.push(`PORTAL_WEB_ROLE_NAME must be a web role's name (at most 100 characters); got ${webRoleName.length} characters.`);
  const days = r.whole('PORTAL_INVITATION_EXPIRY_DAYS', 1, 365, 'the days an invitation code stays valid') ?? Number(PORTAL_SETTING_DEFAULTS.PORTAL_INVITATION_EXPIRY_DAYS);
  return {
    websiteId,
    webRoleName,
    invitationExpiryDays: days,
    sendInvitation: r.bool('PORTAL_SEND_INVITATION', PORTAL_SETTING_DEFAULTS.PORTAL_SEND_INVITATION),
    sendInvitationWorkflowName: r.get('PORTAL_SEND_INVITATION_WORKFLOW') ?? PORTAL_SETTING_DEFAULTS.PORTAL_SEND_INVITATION_WORKFLOW,
  };
}

export const portalSettingsSpec: FamilySettingsSpec = {
  family: 'portal',
  settingNames: PORTAL_SETTING_NAMES,
  load: loadPortalSettings,
};

export function portalSettings(settings: Pick<Settings, 'families'>): PortalSettings {
  const p = settings.families.portal;
  if (!p) throw noFamilyError(' The customer portal family is off (PORTAL_WEBSITE_ID is not set).');
  return p;
}
