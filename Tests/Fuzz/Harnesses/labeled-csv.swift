// Compiled into the module IntentClassifier with all its sources. Training data (`conciergectl classifier train
// --csv`) is a CSV file from outside. Properties: no crash; every example has the fields the header names.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabeledCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput(data, size).bytes
    guard let examples = try? LabeledTextCSV.parse(bytes, path: "<fuzz>") else { return 0 }
    _ = examples.count
    return 0
}
