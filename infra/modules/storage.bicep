import { resourceTags } from '../types.bicep'

// The storage account Radar and the Functions host share: tables (Radar's record), blobs (index
// snapshots, the ingest leases, the host's keys and timer/singleton locks) and the container
// Flex Consumption deploys the app package from. HTTPS only, TLS 1.2+, no anonymous blob access,
// and no account-key access: everything authenticates with Microsoft Entra ID.

@description('Name of the storage account: 3-24 lowercase letters and digits, unique in Azure.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Replication: LRS is enough for data Radar can re-ingest; ZRS survives a zone outage.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Allow account-key (shared key) access. Radar and the Functions host do not need it.')
param allowSharedKeyAccess bool

@description('Blob container the app package is deployed to.')
param deploymentContainerName string

@description('Tags for every resource.')
param tags resourceTags

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: allowSharedKeyAccess
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: false
      services: {
        blob: {
          enabled: true
        }
        table: {
          enabled: true
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    // A container deleted by mistake (Radar's index, the host's keys) can be brought back for a week.
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

@description('Name of the storage account.')
output name string = account.name

@description('Blob service endpoint (https://<name>.blob.<suffix>/).')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Table service endpoint (https://<name>.table.<suffix>/).')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('Queue service endpoint (https://<name>.queue.<suffix>/): the WebSub hub\'s queue.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('URL of the deployment container, as functionAppConfig.deployment.storage.value wants it.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'

@description('Name of the table service, so callers depend on it existing.')
output tableServiceName string = tableService.name
