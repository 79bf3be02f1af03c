// The access keys of vendor-reconciler's HTTP functions: reading is not running (docs/deploy.md §12).
//
// A function key opens one function only; a host key opens every function of the app, and the
// master key also the runtime's admin API (Learn: "Work with access keys in Azure Functions").
// So this template sets named function keys, never a host key:
//   reader   on `plan` (GET /api/plan) and `runStatus` (GET /api/runs and GET /api/runs/{id}): the
//            dry-run report, the run history and run records; for whoever reads the report.
//            (A vendor's own view, `vendorPlan`, takes keys of its own: docs/deploy.md §12.)
//   operator on `run` (POST /api/run): starts a run, also one that releases held removals; only
//            for the admins who may apply.
//   mobility on `bookings` (GET /api/bookings) and `bookingStage` (POST /api/bookings/{id}/stage):
//            the project-work-orders family's mobility app (docs/mobility-routes.md); set only when
//            that app is used, so an empty mobilityKey sets none.
//   webhook  on `dataverseWebhook` (POST /api/dataverse/contacts): the key the Dataverse webhook
//            registration sends as ?code= (docs/deploy.md §14); it queues runs of single contacts
//            only. Set only when the webhook is registered, so an empty webhookKey sets none.
//
// Learn recommends letting Functions generate key values (`az functionapp function keys set`
// without --key-value, docs/deploy.md §12): do that unless your keys must live in a vault. This
// template is for that case: it sets the values you pass (URL-safe: they travel in ?code=).
//
// Deploy it AFTER the code is published (docs/deploy.md §7): a function exists in Azure only once
// the code that registers it runs, and a key can only be set on an existing function. Deploy it
// again with new values to rotate the keys.
//
//   az deployment group create -g <rg> -f docs/deploy/function-keys.bicep -p functionAppName=<app> \
//     readerKey=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=') \
//     operatorKey=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')
//
// Resource reference (Learn): "Microsoft.Web sites/functions/keys" (properties name, value).

targetScope = 'resourceGroup'

@description('The Function App (main.bicep output functionAppName).')
param functionAppName string

@description('The reader key: opens GET /api/plan, GET /api/runs and GET /api/runs/{id}. At least 32 URL-safe characters (letters, digits, - and _).')
@secure()
@minLength(32)
param readerKey string

@description('The operator key: opens POST /api/run. At least 32 URL-safe characters, and not the reader key.')
@secure()
@minLength(32)
param operatorKey string

@description('Name of the reader key, as the portal and `az functionapp function keys list` show it.')
param readerKeyName string = 'reader'

@description('Name of the operator key.')
param operatorKeyName string = 'operator'

@description('The mobility app\'s key: opens GET /api/bookings and POST /api/bookings/{id}/stage only. Empty (the default): no key is set on them. Else at least 32 URL-safe characters, and neither of the others.')
@secure()
param mobilityKey string = ''

@description('Name of the mobility app\'s key.')
param mobilityKeyName string = 'mobility'

@description('The Dataverse webhook\'s key: opens POST /api/dataverse/contacts only. Empty (the default): no key is set on it. Else at least 32 URL-safe characters, and none of the others.')
@secure()
param webhookKey string = ''

@description('Name of the webhook\'s key (docs/deploy.md §14 calls it dataverse).')
param webhookKeyName string = 'dataverse'

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// Function names as src/functions/ registers them (app.http('plan' | 'runStatus' | 'run' | 'dataverseWebhook', …)).
resource planFunction 'Microsoft.Web/sites/functions@2022-09-01' existing = {
  parent: site
  name: 'plan'
}

resource runStatusFunction 'Microsoft.Web/sites/functions@2022-09-01' existing = {
  parent: site
  name: 'runStatus'
}

resource runFunction 'Microsoft.Web/sites/functions@2022-09-01' existing = {
  parent: site
  name: 'run'
}

resource bookingsFunction 'Microsoft.Web/sites/functions@2022-09-01' existing = {
  parent: site
  name: 'bookings'
}

resource bookingStageFunction 'Microsoft.Web/sites/functions@2022-09-01' existing = {
  parent: site
  name: 'bookingStage'
}

resource dataverseWebhookFunction 'Microsoft.Web/sites/functions@2022-09-01' existing = {
  parent: site
  name: 'dataverseWebhook'
}

resource planReader 'Microsoft.Web/sites/functions/keys@2022-09-01' = {
  parent: planFunction
  name: readerKeyName
  value: readerKey
}

resource runStatusReader 'Microsoft.Web/sites/functions/keys@2022-09-01' = {
  parent: runStatusFunction
  name: readerKeyName
  value: readerKey
}

resource runOperator 'Microsoft.Web/sites/functions/keys@2022-09-01' = {
  parent: runFunction
  name: operatorKeyName
  value: operatorKey
}

resource bookingsMobility 'Microsoft.Web/sites/functions/keys@2022-09-01' = if (!empty(mobilityKey)) {
  parent: bookingsFunction
  name: mobilityKeyName
  value: mobilityKey
}

resource bookingStageMobility 'Microsoft.Web/sites/functions/keys@2022-09-01' = if (!empty(mobilityKey)) {
  parent: bookingStageFunction
  name: mobilityKeyName
  value: mobilityKey
}

resource dataverseWebhookKey 'Microsoft.Web/sites/functions/keys@2022-09-01' = if (!empty(webhookKey)) {
  parent: dataverseWebhookFunction
  name: webhookKeyName
  value: webhookKey
}
