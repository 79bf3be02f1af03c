#!/usr/bin/env bash
# Grants vendor-reconciler's identity everything it needs in one tenant, once, and again safely
# (every step looks first and changes only what is missing):
#   1. the Microsoft Graph application permissions of docs/deploy.md §3, as app roles on the Graph
#      service principal;
#   2. the Dataverse application user, its security role "vendor-reconciler" in the root business
#      unit with the privileges of docs/dataverse-schema.md ("Privileges of the application user"),
#      all at Organization level, and the role on the user (docs/deploy.md §4);
#   3. with DATAVERSE_USER_ON_DEMAND=true (the app setting of the same name), the app's registration as a Power Platform management application
#      (DATAVERSE_USER_ON_DEMAND in docs/configuration.md).
# The lists below are checked against what a full run needed by test/integration/deploy-permissions.test.ts.
#
# Run it as an admin signed in with `az login` (Privileged Role Administrator in Entra, System
# Administrator in the Dataverse environment, Power Platform administrator for step 3). Needs az, curl, jq.
#
#   PRINCIPAL_ID=<managed identity object id> APP_ID=<its application (client) id> \
#   DATAVERSE_URL=https://<org>.crm.dynamics.com [SERVICE_ACCOUNTS=true] [DATAVERSE_USER_ON_DEMAND=true] \
#   bash docs/deploy/grant-permissions.sh [--dry-run]
#
# --dry-run reads and prints what it would change, and changes nothing.
set -euo pipefail

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
# Domain.Read.All only with service accounts (SERVICE_ACCOUNT_DOMAIN set). The same list in both LICENSE_MODEs:
# none is LicenseAssignment.ReadWrite.All (User.ReadWrite.All covers assignLicense in direct mode; group mode only
# reads the SKUs and the group's licences, docs/deploy.md "Group-based licensing").
GRAPH_ROLES=(GroupMember.Read.All GroupMember.ReadWrite.All LicenseAssignment.Read.All User.ReadWrite.All)
GRAPH_ROLES_SERVICE_ACCOUNTS=(Domain.Read.All)
# table logical name: its privileges (SecurityPrivilegeMetadata PrivilegeType values).
DATAVERSE_PRIVILEGES=(
  "contact:Read,Write,Append,AppendTo"
  "account:Read,AppendTo"
  "o25fs_vendorcharacteristic:Read"
  "characteristic:Read,AppendTo"
  "ratingvalue:Read,AppendTo"
  "systemuser:Read,Write,AppendTo"
  "bookableresource:Read,Create,Write,Append,AppendTo,Assign"
  "bookableresourcecharacteristic:Read,Create,Write,Delete,Append"
  "msdyn_organizationalunit:AppendTo"
  "msdyn_warehouse:AppendTo"
  "adx_website:Read,AppendTo"
  "adx_webrole:Read,Write,Append,AppendTo"
  "adx_invitation:Read,Create,Write,Append"
  "workflow:Read"
  "msdyn_project:Read,Write,AppendTo"
  "msdyn_projecttask:Read,Write,AppendTo"
  "msdyn_workorder:Read,Create,Write,Append"
  "msdyn_resourcerequirement:Read,Write"
  "bookableresourcebooking:Read"
  "bookingstatus:Read"
  "msdyn_workordertype:Read,AppendTo"
  "pricelevel:AppendTo"
)
# Privileges that belong to no table: the customer portal's Send Invitation workflow.
DATAVERSE_MISC_PRIVILEGES=(prvWorkflowExecution)
ROLE_NAME=vendor-reconciler

dry_run=false
[ "${1:-}" = "--dry-run" ] && dry_run=true
: "${PRINCIPAL_ID:?set PRINCIPAL_ID to the managed identity's object id}"
: "${APP_ID:?set APP_ID to the managed identity's application (client) id}"
: "${DATAVERSE_URL:?set DATAVERSE_URL to the environment root, https://<org>.crm.dynamics.com}"
DATAVERSE_URL=${DATAVERSE_URL%/}
API="${DATAVERSE_URL}/api/data/v9.2"

say() { printf '%s\n' "$*"; }
change() { if $dry_run; then say "would: $1"; return 1; fi; say "doing: $1"; }

# --- 1. Microsoft Graph app roles ---------------------------------------------------------------
roles=("${GRAPH_ROLES[@]}")
[ "${SERVICE_ACCOUNTS:-false}" = "true" ] && roles+=("${GRAPH_ROLES_SERVICE_ACCOUNTS[@]}")
graph_sp=$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv)
held=$(az rest --uri "https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL_ID}/appRoleAssignments" --query "value[].appRoleId" -o tsv)
for role in "${roles[@]}"; do
  role_id=$(az ad sp show --id "$GRAPH_APP_ID" --query "appRoles[?value=='${role}' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  if grep -qx "$role_id" <<<"$held"; then say "ok: Graph ${role}"; continue; fi
  change "grant Graph ${role}" || continue
  az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL_ID}/appRoleAssignments" \
    --headers 'Content-Type=application/json' \
    --body "{\"principalId\":\"${PRINCIPAL_ID}\",\"resourceId\":\"${graph_sp}\",\"appRoleId\":\"${role_id}\"}" >/dev/null
done

# --- 2. Dataverse application user and security role ------------------------------------------
token=$(az account get-access-token --resource "$DATAVERSE_URL" --query accessToken -o tsv)
dv() { # dv METHOD PATH [BODY]: one Web API request; prints the response body, fails on an HTTP error.
  curl -sS --fail-with-body -X "$1" "${API}/$2" -H "Authorization: Bearer ${token}" -H 'Accept: application/json' \
    -H 'Content-Type: application/json' -H 'OData-Version: 4.0' -H 'Prefer: return=representation' ${3:+--data "$3"}
}
root_bu=$(dv GET "businessunits?\$select=businessunitid&\$filter=_parentbusinessunitid_value%20eq%20null" | jq -r '.value[0].businessunitid')

user_id=$(dv GET "systemusers?\$select=systemuserid&\$filter=applicationid%20eq%20${APP_ID}" | jq -r '.value[0].systemuserid // empty')
if [ -n "$user_id" ]; then say "ok: application user ${user_id}"
elif change "create the application user for ${APP_ID}"; then
  user_id=$(dv POST systemusers "{\"applicationid\":\"${APP_ID}\",\"businessunitid@odata.bind\":\"/businessunits(${root_bu})\"}" | jq -r .systemuserid)
fi

role_id=$(dv GET "roles?\$select=roleid&\$filter=name%20eq%20'${ROLE_NAME}'%20and%20_businessunitid_value%20eq%20${root_bu}" | jq -r '.value[0].roleid // empty')
if [ -n "$role_id" ]; then say "ok: security role ${ROLE_NAME}"
elif change "create the security role ${ROLE_NAME}"; then
  role_id=$(dv POST roles "{\"name\":\"${ROLE_NAME}\",\"businessunitid@odata.bind\":\"/businessunits(${root_bu})\"}" | jq -r .roleid)
fi

# The privilege ids of each table come from its metadata; AddPrivilegesRole keeps what the role has.
privileges='[]'
for entry in "${DATAVERSE_PRIVILEGES[@]}"; do
  table=${entry%%:*} types=${entry#*:}
  ids=$(dv GET "EntityDefinitions(LogicalName='${table}')?\$select=Privileges" |
    jq --arg types "$types" '[.Privileges[] | select(.PrivilegeType as $t | ($types | split(",") | index($t))) | .PrivilegeId]')
  privileges=$(jq -n --argjson a "$privileges" --argjson b "$ids" '$a + $b')
done
for name in "${DATAVERSE_MISC_PRIVILEGES[@]}"; do
  id=$(dv GET "privileges?\$select=privilegeid&\$filter=name%20eq%20'${name}'" | jq -r '.value[0].privilegeid')
  privileges=$(jq -n --argjson a "$privileges" --arg id "$id" '$a + [$id]')
done
if [ -n "${role_id:-}" ] && change "give ${ROLE_NAME} $(jq length <<<"$privileges") privileges at Organization level"; then
  body=$(jq -n --argjson ids "$privileges" --arg bu "$root_bu" '{Privileges: [$ids[] | {Depth: "Global", PrivilegeId: ., BusinessUnitId: $bu}]}')
  dv POST "roles(${role_id})/Microsoft.Dynamics.CRM.AddPrivilegesRole" "$body" >/dev/null
fi

if [ -n "${user_id:-}" ] && [ -n "${role_id:-}" ]; then
  if dv GET "systemusers(${user_id})/systemuserroles_association?\$select=roleid" | jq -e --arg r "$role_id" 'any(.value[]; .roleid == $r)' >/dev/null; then
    say "ok: ${ROLE_NAME} on the application user"
  elif change "give the application user the role ${ROLE_NAME}"; then
    dv POST "systemusers(${user_id})/systemuserroles_association/\$ref" "{\"@odata.id\":\"${API}/roles(${role_id})\"}" >/dev/null
  fi
fi

# --- 3. Power Platform management application (on-demand Dataverse user) ----------------------
if [ "${DATAVERSE_USER_ON_DEMAND:-false}" = "true" ] && change "register ${APP_ID} as a Power Platform management application"; then
  az rest --method PUT --resource https://service.powerapps.com/ \
    --uri "https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/adminApplications/${APP_ID}?api-version=2020-10-01" >/dev/null
fi
say "done. Next: vendor-reconciler setup, then vendor-reconciler doctor (docs/cli.md)."
