import { appSettings, resourceTags } from '../types.bicep'

// The Function App on a Flex Consumption plan: Linux, .NET 10 isolated worker, deployed from a
// blob container, scaled per function group. What Flex no longer accepts is left out on purpose:
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE,
// WEBSITE_CONTENT*, linuxFxVersion/netFrameworkVersion (runtime and deployment are properties of
// functionAppConfig). See docs/deploy.md, "Flex Consumption facts".

@description('Name of the Function App; also its host name <name>.azurewebsites.net.')
param name string

@description('Name of the Flex Consumption plan (one app per plan).')
param planName string

@description('Azure region.')
param location string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('URL of the blob container the app package is deployed to.')
param deploymentContainerUrl string

@description('Instance memory in MB: 2048 is the default; 512 is too small for a Lucene replica of any size.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to. 40 is the lowest Flex Consumption accepts.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the HTTP functions (billed while idle); 0: scale to zero.')
@minValue(0)
@maxValue(20)
param httpAlwaysReady int

@description('App settings of the app (environment variables).')
param settings appSettings

@description('Tags for every resource.')
param tags resourceTags

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      // Only what Flex Consumption takes here; runtime and scale live in functionAppConfig.
      minTlsVersion: '1.2'
      appSettings: [for setting in items(settings): {
        name: setting.key
        value: setting.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: httpAlwaysReady == 0
          ? []
          : [
              {
                name: 'http'
                instanceCount: httpAlwaysReady
              }
            ]
      }
      runtime: {
        // Exactly '10.0': ARM accepts '10' too, and the app then never starts (Azure/Azure-Functions#2666).
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Deployments authenticate with Microsoft Entra ID (az CLI, Core Tools); no publishing password.
// (Flex Consumption deploys only through the package container; there is no FTP deployment.)
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the Function App.')
output name string = app.name

@description('Host name the app answers on.')
output hostName string = app.properties.defaultHostName
