// vendor-reconciler on Azure Functions, Flex Consumption (docs/deploy.md explains every choice).
//
// Creates: a Log Analytics workspace and a workspace-based Application Insights component; a
// storage account (host storage, the run lock and run history, the run queue and its poison
// queue, the deployment package), reached
// with the app's managed identity only (no account keys); a Flex Consumption plan (FC1) and the
// Function App on Node.js 22 with a system-assigned managed identity and every app setting.
//
// Not created here (they live outside the subscription): the Microsoft Graph application
// permissions and the Dataverse application user for the app's identity. docs/deploy.md §3 and §4.
//
// Deploy:  az deployment group create -g <rg> -f docs/deploy/main.bicep -p @docs/deploy/main.parameters.json

targetScope = 'resourceGroup'

@description('Short name used in every resource name (lower-case letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param baseName string

@description('Azure region. Flex Consumption is not offered in every region: az functionapp list-flexconsumption-locations.')
param location string = resourceGroup().location

// ---- Tenant-specific settings (docs/configuration.md) ----

@description('DATAVERSE_URL: the environment URL, e.g. https://contoso.crm.dynamics.com')
param dataverseUrl string

@description('LICENSE_SKU_ID: skuId of the technicians\' licence (GET /subscribedSkus).')
param licenseSkuId string

@description('TECHNICIAN_GROUP_ID: object id of the security group that gives Dataverse access.')
param technicianGroupId string

@description('DEFAULT_USAGE_LOCATION: two-letter ISO 3166 country code used when a contact\'s country does not map.')
@minLength(2)
@maxLength(2)
param defaultUsageLocation string

@description('DEFAULT_TIMEZONE_CODE: Dataverse time zone code for new bookable resources (85 = GMT Standard Time).')
param defaultTimezoneCode int

@description('INVITE_REDIRECT_URL: where technicians land after redeeming the invitation. Empty = DATAVERSE_URL.')
param inviteRedirectUrl string = ''

@description('SEND_INVITATION_EMAIL: whether Entra emails the invitation.')
param sendInvitationEmail bool = true

@description('DEPROVISION_WHEN_SETUP_OFF: remove access when Setup Technician is turned off.')
param deprovisionWhenSetupOff bool = false

@description('BLOCK_SIGN_IN_ON_DEPROVISION: also set accountEnabled=false on deprovision.')
param blockSignInOnDeprovision bool = false

@description('MAX_DEPROVISIONS_PER_RUN: more contacts losing access in one run than this holds every removal back.')
param maxDeprovisionsPerRun int = 25

@description('MAX_DEPROVISIONS_PERCENT: the same, as a percentage of the technicians with access.')
@minValue(0)
@maxValue(100)
param maxDeprovisionsPercent int = 10

@description('QUARANTINE_AFTER_FAILURES: failed runs in a row after which a contact is retried less often.')
param quarantineAfterFailures int = 3

@description('RECONCILE_SCHEDULE: NCRONTAB (six fields, UTC: Flex Consumption does not support WEBSITE_TIME_ZONE).')
param reconcileSchedule string = '0 0 * * * *'

// A fresh deployment only reports: the timer applies once an admin has read its reports and chosen
// 'apply' (src/app/reconcile-mode.ts; docs/deploy.md "The first deployment only reports"). The
// template writes every app setting, so a redeploy with the default sets 'plan' again: keep
// 'apply' in your parameters file once you have switched.
@description('RECONCILE_MODE: plan (the timer only builds the report and changes nothing) or apply (the timer changes the tenant).')
@allowed(['plan', 'apply'])
param reconcileMode string = 'plan'

@description('RUN_DEADLINE_SECONDS: a run starts no new request after this; below host.json functionTimeout (3600 s).')
param runDeadlineSeconds int = 3300

@description('SHARD_BY_VENDOR: true makes each timer firing queue one run per vendor, run side by side by the queue trigger (docs/scale.md).')
param shardByVendor bool = false

// Group-based licensing (docs/configuration.md LICENSE_MODE; docs/deploy.md "Group-based licensing").
@description('LICENSE_MODE: direct (the app assigns LICENSE_SKU_ID to each technician) or group (the technician group carries the licence; the app never calls assignLicense).')
@allowed(['direct', 'group'])
param licenseMode string = 'direct'

// The on-demand Dataverse user (docs/deploy.md "The on-demand Dataverse user"): register the app as
// a Power Platform management application first (docs/deploy/grant-permissions.sh step 3).
@description('DATAVERSE_USER_ON_DEMAND: true adds a licensed technician\'s Dataverse user at once through the Power Platform admin API (addUser) instead of waiting for Dataverse\'s user sync.')
param dataverseUserOnDemand bool = false

@description('POWER_PLATFORM_ENVIRONMENT_ID: the environment\'s Environment ID (Power Platform admin center), needed with dataverseUserOnDemand; empty = unset.')
param powerPlatformEnvironmentId string = ''

@description('POWER_PLATFORM_API_URL: the Power Platform admin API\'s origin (public cloud only).')
param powerPlatformApiUrl string = 'https://api.bap.microsoft.com'

@description('RUN_HTTP_WAIT_SECONDS: used by `serve` only; the Functions app queues every POST /api/run and answers 202 at once.')
@maxValue(220)
param runHttpWaitSeconds int = 200

@description('Instance memory of the Flex Consumption plan (512, 2048 or 4096 MB).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Flex Consumption maximum instance count (the platform\'s lowest allowed value is 40). Queued runs scale out up to it (host.json: 4 runs per instance); runs of one scope never overlap (a blob lease per scope).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

var token = toLower(uniqueString(resourceGroup().id, baseName))
var storageName = take('st${baseName}${token}', 24)
var appName = 'func-${baseName}-${take(token, 6)}'
var deploymentContainer = 'app-package'
// Storage Blob Data Owner: the host's own blobs (keys, timer locks), the run lock lease and the
// run history (container `vendor-reconciler`), and the deployment package.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: the run queue (src/history/run-queue.ts sends, the host's queue
// trigger receives and deletes, and moves a failing message to the poison queue).
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// src/history/run-queue.ts RUN_QUEUE_NAME; the host names the poison queue `<queue>-poison`.
var runQueueName = 'vendor-reconciler-runs'

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${baseName}-${take(token, 6)}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${baseName}-${take(token, 6)}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Identity only: the host, the run lock and the deployment all use the app's managed identity.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Created here so the queue trigger listens from the first start (the app also creates it on first send).
resource runQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: runQueueName
}

resource runPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${runQueueName}-poison'
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${baseName}-${take(token, 6)}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      // Flex Consumption: no FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION /
      // WEBSITE_RUN_FROM_PACKAGE here; functionAppConfig below carries runtime and package.
      appSettings: [
        // The one connection of the host, the run lock and history, and the run queue: with an account
        // name, the blob and queue endpoints are https://<name>.blob|queue.core.windows.net.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'AZURE_TOKEN_CREDENTIALS', value: 'ManagedIdentityCredential' }
        { name: 'DATAVERSE_URL', value: dataverseUrl }
        { name: 'LICENSE_SKU_ID', value: licenseSkuId }
        { name: 'TECHNICIAN_GROUP_ID', value: technicianGroupId }
        { name: 'DEFAULT_USAGE_LOCATION', value: toUpper(defaultUsageLocation) }
        { name: 'DEFAULT_TIMEZONE_CODE', value: string(defaultTimezoneCode) }
        { name: 'INVITE_REDIRECT_URL', value: inviteRedirectUrl }
        { name: 'SEND_INVITATION_EMAIL', value: sendInvitationEmail ? 'true' : 'false' }
        { name: 'DEPROVISION_WHEN_SETUP_OFF', value: deprovisionWhenSetupOff ? 'true' : 'false' }
        { name: 'BLOCK_SIGN_IN_ON_DEPROVISION', value: blockSignInOnDeprovision ? 'true' : 'false' }
        { name: 'MAX_DEPROVISIONS_PER_RUN', value: string(maxDeprovisionsPerRun) }
        { name: 'MAX_DEPROVISIONS_PERCENT', value: string(maxDeprovisionsPercent) }
        { name: 'RELEASE_HELD_REMOVALS', value: 'false' }
        { name: 'QUARANTINE_AFTER_FAILURES', value: string(quarantineAfterFailures) }
        { name: 'RECONCILE_SCHEDULE', value: reconcileSchedule }
        { name: 'RECONCILE_MODE', value: reconcileMode }
        { name: 'RUN_DEADLINE_SECONDS', value: string(runDeadlineSeconds) }
        { name: 'RUN_HTTP_WAIT_SECONDS', value: string(runHttpWaitSeconds) }
        { name: 'SHARD_BY_VENDOR', value: shardByVendor ? 'true' : 'false' }
        { name: 'LICENSE_MODE', value: licenseMode }
        { name: 'DATAVERSE_USER_ON_DEMAND', value: dataverseUserOnDemand ? 'true' : 'false' }
        { name: 'POWER_PLATFORM_ENVIRONMENT_ID', value: powerPlatformEnvironmentId }
        { name: 'POWER_PLATFORM_API_URL', value: powerPlatformApiUrl }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
  dependsOn: [packageContainer, runQueue, runPoisonQueue]
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The Function App name (for func azure functionapp publish).')
output functionAppName string = app.name

@description('Object id of the app\'s managed identity: grant it the Graph permissions (docs/deploy.md §3).')
output principalId string = app.identity.principalId

@description('The storage account of the host, the run lock, the run history and the run queue.')
output storageAccountName string = storage.name

@description('Application Insights (custom event VendorReconcilerRun).')
output applicationInsightsName string = insights.name
