[assembly: AssemblyFixture(typeof(AzuriteFixture))]
[assembly: AssemblyFixture(typeof(Radar.Browser.Tests.BrowserFixture))]
