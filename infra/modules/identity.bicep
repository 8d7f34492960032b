import { resourceTags } from '../types.bicep'

// The one identity Radar runs as: the Functions host, Radar's own storage calls, the deployment
// package download and telemetry all authenticate with it, so no key sits in an app setting.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags resourceTags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id, for the function app and the deployment storage authentication.')
output id string = identity.id

@description('Client id, for AzureWebJobsStorage__clientId and the App Insights authentication string.')
output clientId string = identity.properties.clientId

@description('Principal (object) id, for role assignments.')
output principalId string = identity.properties.principalId

@description('Name, for the deployment outputs.')
output name string = identity.name
