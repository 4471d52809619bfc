// Compiled into the module ConciergeIntents. `config/intents.yaml` is read at start-up.
// Properties: no crash; a catalog that loads has unique names and never routes a sensitive intent to the AI.
import ConciergeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIntentCatalogYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let yaml = FuzzInput(data, size).text, let catalog = try? IntentCatalog.parse(yaml) else { return 0 }
    fuzzCheck(Set(catalog.intents.map(\.name)).count == catalog.intents.count, "duplicate intent names")
    for intent in catalog.intents {
        fuzzCheck(!(intent.sensitive && intent.route == .ai), "sensitive intent routed to ai")
        fuzzCheck(catalog[intent.name] == intent, "lookup by name")
    }
    return 0
}
