// Compiled into the module ClassifierWorker with RoutingConfiguration.swift only. `config/routing.yaml` is read at
// start-up. Properties: no crash; a policy that loads has a confidence threshold within 0...1.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoutingYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let yaml = FuzzInput(data, size).text, let policy = try? RoutingConfiguration.parse(yaml) else { return 0 }
    fuzzCheck((0...1).contains(policy.confidenceThreshold), "confidence threshold \(policy.confidenceThreshold)")
    return 0
}
