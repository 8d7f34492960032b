using System.Runtime.CompilerServices;
using System.Text;

namespace Radar.Core;

/// <summary>
/// Windows-1252 and the other legacy code pages, for every reader in Radar.Core: feeds, CSV
/// measure files, OPML imports — and an XML declaration that names one, which
/// <c>XmlReader</c> resolves through <see cref="Encoding.GetEncoding(string)"/>. .NET knows them
/// only once the provider is registered; registering it where the assembly loads means no reader
/// depends on another having run first.
/// </summary>
internal static class CodePages
{
#pragma warning disable CA2255 // Radar.Core is this app's own library: its readers need the code pages wherever they are called from.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
