import { appSettings, resourceTags } from 'types.bicep'

// Radar on Azure: a Function App on the Flex Consumption plan (.NET 10 isolated), one storage
// account (tables, blobs, the deployment package), Application Insights on a Log Analytics
// workspace, and one user-assigned managed identity with least-privilege data roles. No account
// key and no instrumentation key in any setting. Deploy: docs/deploy.md.

targetScope = 'resourceGroup'

@description('Short name of this Radar (e.g. radar-muenchen): lowercase letters, digits and hyphens. Resource names derive from it.')
@minLength(3)
@maxLength(30)
param name string

@description('Azure region; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Name of the Function App (host name <appName>.azurewebsites.net, unique in Azure).')
@minLength(2)
@maxLength(60)
param appName string = '${name}-${uniqueString(resourceGroup().id)}'

@description('Name of the storage account (3-24 lowercase letters and digits, unique in Azure).')
@minLength(3)
@maxLength(24)
param storageAccountName string = take('st${toLower(replace(name, '-', ''))}${uniqueString(resourceGroup().id)}', 24)

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Allow account-key access to storage. Radar and the Functions host need none; leave false.')
param allowSharedKeyAccess bool = false

@description('Instance memory in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to (40 to 1000). It caps the bill as well as the scale.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instances for the HTTP functions: no cold starts, billed while idle. 0: scale to zero.')
@minValue(0)
@maxValue(20)
param httpAlwaysReady int = 0

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Daily log ingestion cap in GB (a cost guard); -1: no cap.')
@minValue(-1)
param logDailyCapGb int = 1

@description('Radar__StoragePrefix: prefix for Radar\'s tables and containers, when several Radars share one account.')
@maxLength(20)
param storagePrefix string = ''

@description('Radar__ContentRoot: folder relative file: sources are read from; empty: the app folder.')
param contentRoot string = ''

@description('IngestMeasuresSchedule: six-field cron schedule of the measures ingest timer (required by the IngestMeasures function).')
param ingestMeasuresSchedule string = '0 */30 * * * *'

@description('IngestNewsSchedule: six-field cron schedule of the news ingest timer (required by the IngestNews function).')
param ingestNewsSchedule string = '0 */15 * * * *'

@description('More app settings (name to value): sources (Radar__Sources__N__Url, Radar__Sources__N__Kind, Radar__Sources__N__Id, Radar__Sources__N__Radar, Radar__Sources__N__Definition, Radar__Sources__N__Name, Radar__Sources__N__Editions__M, Radar__Sources__N__Edition, Radar__Sources__N__EditionTitle, Radar__Sources__N__EditionPublished, Radar__Sources__N__SharesRadar with N, M = 0, 1, …), schedules and the other Radar__… settings listed in README.md. They win over the defaults here.')
param radarSettings appSettings = {}

@description('Set WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED=0, the workaround for .NET 10 worker crashes on Flex Consumption (Azure/azure-functions-dotnet-worker#3335). Leave false unless you see them.')
param disableDotnetIsolatedPlaceholder bool = false

@description('Object id of a user or group that may read Radar\'s tables and blobs (for support); empty: nobody.')
param operatorPrincipalId string = ''

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
])
param operatorPrincipalType string = 'User'

@description('Tags for every resource.')
param tags resourceTags = {}

var allTags = union({ application: 'radar', 'radar-name': name }, tags)
var deploymentContainerName = 'app-package'
var identityName = 'id-${name}'
var appInsightsName = 'appi-${name}'

module identity 'modules/identity.bicep' = {
  params: {
    name: identityName
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  params: {
    workspaceName: 'log-${name}'
    appInsightsName: appInsightsName
    location: location
    retentionInDays: logRetentionDays
    dailyCapGb: logDailyCapGb
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  params: {
    name: storageAccountName
    location: location
    skuName: storageSku
    allowSharedKeyAccess: allowSharedKeyAccess
    deploymentContainerName: deploymentContainerName
    tags: allTags
  }
}

// Names known before deployment, so What-If can predict the role assignments' ids.
module roles 'modules/roles.bicep' = {
  params: {
    storageAccountName: storageAccountName
    appInsightsName: appInsightsName
    appIdentityName: identityName
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
  dependsOn: [
    identity
    monitoring
    storage
  ]
}

// What the Functions host and Radar read. AzureWebJobsStorage is identity-based: the host and
// Radar's StorageConnection both read __blobServiceUri/__tableServiceUri/__queueServiceUri/__credential/__clientId.
var baseSettings = {
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  AzureWebJobsDisableHomepage: 'true'
  Radar__StorageConnection: 'AzureWebJobsStorage'
  Radar__StoragePrefix: storagePrefix
  Radar__ContentRoot: contentRoot
  IngestMeasuresSchedule: ingestMeasuresSchedule
  IngestNewsSchedule: ingestNewsSchedule
  // The WebSub hub's queue (the queue trigger reads %WebSubQueue%), prefixed like Radar's tables.
  WebSubQueue: empty(storagePrefix) ? 'websub' : '${toLower(storagePrefix)}-websub'
}

var workaroundSettings = disableDotnetIsolatedPlaceholder ? { WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED: '0' } : {}

module functionApp 'modules/functionapp.bicep' = {
  params: {
    name: appName
    planName: 'plan-${name}'
    location: location
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpAlwaysReady: httpAlwaysReady
    settings: union(baseSettings, workaroundSettings, radarSettings)
    tags: allTags
  }
  // The host's first start needs its storage roles; ARM cannot see that through the settings.
  dependsOn: [
    roles
  ]
}

@description('Name of the Function App: the target of the publish commands in docs/deploy.md.')
output functionAppName string = functionApp.outputs.name

@description('Radar\'s address.')
output url string = 'https://${functionApp.outputs.hostName}'

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('Name of the Application Insights component.')
output appInsightsName string = monitoring.outputs.appInsightsName

@description('Client id of the app\'s managed identity.')
output identityClientId string = identity.outputs.clientId
