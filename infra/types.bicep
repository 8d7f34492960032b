// Types shared by main.bicep and its modules.

@export()
@description('Tags put on every resource (name to value).')
type resourceTags = {
  *: string
}

@export()
@description('App settings: name to value. Values are plain strings, as Functions reads them.')
type appSettings = {
  *: string
}
